package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * State shared by the parts of one replica: identity, view, clock, execution progress, output and
 * drop counters. Single-threaded like the rest of the core.
 */
final class ReplicaContext {
    final ReplicaConfig config;
    final int self;
    /** The replica set in force and a pending change (see {@link Epochs}). */
    final Epochs epochs;
    final ReadyBuffer out = new ReadyBuffer();
    /** How long without progress before this replica's messages go out again (adapts to the load). */
    final RetransmitTimeout retransmitTimeout;
    private final SigningDomain domain;
    private final MessageSigner signer;
    private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
    /** The view this replica works in or changes to; replaced only by the view-change code (see {@link ViewState}). */
    private ViewState viewState;
    /** min-s of the NEW-VIEW that started the current view: the sequences it settled. */
    long viewBase;
    long now;
    /** Highest sequence handed to the driver for execution (in Ready.committed). */
    long lastDelivered;
    long lastDeliveredTimestamp;
    /** Highest sequence the driver reported executed. */
    long lastExecuted;
    /** Clock value of the last delivery or stable checkpoint; retransmission starts when it gets old. */
    long lastProgressMs;

    ReplicaContext(ReplicaConfig config, SigningDomain domain, MessageSigner signer, RecoveredState recovered) {
        this.config = config;
        this.self = config.replicaId();
        this.epochs = new Epochs(config.members(), config.checkpointInterval());
        this.domain = domain;
        this.signer = signer;
        this.retransmitTimeout = new RetransmitTimeout(config.retransmitIntervalMs(), config.viewChangeTimeoutMs());
        this.viewState = new ViewState.Active(recovered.view());
        this.lastDelivered = recovered.lastExecutedSequence();
        this.lastExecuted = recovered.lastExecutedSequence();
        this.lastDeliveredTimestamp = recovered.lastExecutedTimestamp();
    }

    /** The view whose messages this replica takes: the current one, or the target of its view change. */
    long view() {
        return viewState.view();
    }

    /** Between sending VIEW-CHANGE for {@link #view()} and entering it with a NEW-VIEW. */
    boolean changing() {
        return viewState.changing();
    }

    /** The last view entered (the current one unless {@link #changing()}). */
    long enteredView() {
        return viewState.entered();
    }

    /** Starts the change to {@code target}, above {@link #view()}: ViewChanger only. */
    void startViewChange(long target) {
        Invariants.check(target > viewState.view(), "view change must move forward: " + target + " after " + viewState.view());
        viewState = viewState.changeTo(target);
    }

    /** Works in {@code view} (a NEW-VIEW accepted, or the view restored from the journal): ViewChanger and JournalReplay only. */
    void enterView(long view) {
        viewState = new ViewState.Active(view);
    }

    /** A view change to {@code target} restored from the journal, after working in {@code entered}: ViewChanger only. */
    void restoreViewChange(long target, long entered) {
        viewState = new ViewState.Changing(target, entered);
    }

    /** The replicas this one orders with now. */
    ReplicaSet replicas() {
        return epochs.current();
    }

    /** The certificate sizes of {@link #replicas()}. */
    Quorums quorums() {
        return epochs.current().quorums();
    }

    /**
     * The last sequence an empty batch may fill, as this replica knows it having executed up to
     * {@link #lastExecuted}: the boundary of a pending replica-set change, else -1 (see
     * {@link Epochs#fillLimit}).
     */
    long fillLimit() {
        return epochs.fillLimit();
    }

    /** The highest sequence this replica may propose or vote for now (see {@link Epochs#voteLimit}). */
    long voteLimit() {
        return epochs.voteLimit(lastExecuted);
    }

    int primaryOf(long v) {
        return epochs.primaryOf(v);
    }

    int primary() {
        return primaryOf(viewState.view());
    }

    boolean isPrimary() {
        return primary() == self;
    }

    <T extends PbftMessage> Signed<T> sign(T message) {
        Invariants.check(message.replica() == self, "a replica signs only its own messages");
        return new Signed<>(message, signer.sign(message, MessageCodec.signingBytes(domain, message)));
    }

    /**
     * {@code requests} as signed FORWARDs shaped like batches: each at most batchMaxTransactions
     * requests and batchMaxBytes of bodies (a larger request goes alone), so a FORWARD is never refused
     * for its size where a full PRE-PREPARE is accepted. In order; none when {@code requests} is empty.
     */
    List<Signed<Forward>> forwards(List<ClientRequest> requests) {
        List<Signed<Forward>> out = new ArrayList<>();
        List<ClientRequest> chunk = new ArrayList<>();
        long bytes = 0;
        for (ClientRequest r : requests) {
            if (!chunk.isEmpty() && (chunk.size() == config.batchMaxTransactions()
                    || bytes + r.size() > config.batchMaxBytes())) {
                out.add(sign(new Forward(self, List.copyOf(chunk))));
                chunk.clear();
                bytes = 0;
            }
            chunk.add(r);
            bytes += r.size();
        }
        if (!chunk.isEmpty()) {
            out.add(sign(new Forward(self, List.copyOf(chunk))));
        }
        return out;
    }

    void drop(DropReason reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    Map<DropReason, Long> dropCounts() {
        return new EnumMap<>(drops);
    }

    void progressed() {
        lastProgressMs = now;
    }
}
