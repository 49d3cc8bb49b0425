package io.pbftledger.config.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.node.ConsensusInfo;
import io.pbftledger.node.DropCounters;
import io.pbftledger.node.PendingTransactions;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.pbft.core.DropReason;
import io.pbftledger.pbft.core.ViewChangeCause;
import io.pbftledger.pbft.core.ReplicaStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Gauges and counters read from the running replica: view, view changes, checkpoints, peers,
 * mempool and dropped messages. Everything is read from published snapshots at scrape time, so
 * nothing here touches the consensus thread.
 */
public final class ConsensusMetrics implements MeterBinder, AutoCloseable {
    /** How often transport drop reasons seen since the last look get their counter. */
    private static final long DROP_REASON_REFRESH_MS = 5_000;

    private final ReplicaDriver driver;
    private final BlockStore store;
    private final PendingTransactions pending;
    private final Supplier<List<ConsensusInfo.PeerInfo>> peers;
    private final Supplier<Map<Integer, Integer>> queueDepths;
    private final DropCounters transportDrops;
    /** Transport drop reasons that already have a counter; reasons appear at run time. */
    private final Set<String> registeredReasons = ConcurrentHashMap.newKeySet();
    private volatile MeterRegistry registry;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "metrics-drop-reasons");
        t.setDaemon(true);
        return t;
    });

    public ConsensusMetrics(ReplicaDriver driver, BlockStore store, PendingTransactions pending,
                            Supplier<List<ConsensusInfo.PeerInfo>> peers, Supplier<Map<Integer, Integer>> queueDepths,
                            DropCounters transportDrops) {
        this.driver = driver;
        this.store = store;
        this.pending = pending;
        this.peers = peers;
        this.queueDepths = queueDepths;
        this.transportDrops = transportDrops;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("pbft.view", driver, d -> d.status().view())
                .description("The view this replica is in").register(registry);
        Gauge.builder("pbft.view.change.in.progress", driver,
                        d -> d.status().status() == ReplicaStatus.Status.VIEW_CHANGE ? 1 : 0)
                .description("1 while this replica is changing views").register(registry);
        Gauge.builder("pbft.state.transfer.in.progress", driver,
                        d -> d.status().status() == ReplicaStatus.Status.STATE_TRANSFER ? 1 : 0)
                .description("1 while this replica fetches state from its peers").register(registry);
        FunctionCounter.builder("pbft.view.changes", driver, ReplicaDriver::viewChanges)
                .description("View changes this replica started since it booted").register(registry);
        for (ViewChangeCause cause : ViewChangeCause.values()) {
            FunctionCounter.builder("pbft.view.change.causes", driver, d -> d.viewChanges(cause))
                    .tag("cause", cause.label())
                    .description("View changes this replica entered, by why it started them").register(registry);
        }
        Gauge.builder("pbft.view.change.alone", driver, d -> d.aloneInViewChange() ? 1 : 0)
                .description("1 while this replica changes view and fewer than f+1 replicas follow it: it does not "
                        + "vote in the view the others work in").register(registry);
        FunctionCounter.builder("pbft.view.changes.alone", driver, ReplicaDriver::aloneViewChanges)
                .description("Times this replica found itself alone in a view change since it booted")
                .register(registry);
        FunctionCounter.builder("pbft.view.changes.assisted", driver, ReplicaDriver::assistedViewChanges)
                .description("View changes this replica started to bring back a replica alone in one, at most "
                        + "one per rejoin period").register(registry);
        Gauge.builder("pbft.executed.sequence", driver, d -> d.status().lastExecutedSequence())
                .description("The last sequence number this replica executed").register(registry);
        Gauge.builder("pbft.checkpoint.stable.sequence", driver, d -> d.status().stableCheckpoint())
                .description("Sequence number of the newest stable checkpoint").register(registry);
        Gauge.builder("pbft.checkpoint.lag", driver,
                        d -> d.status().lastExecutedSequence() - d.status().stableCheckpoint())
                .description("Sequences executed since the newest stable checkpoint")
                .baseUnit("sequences").register(registry);
        Gauge.builder("pbft.checkpoint.sequences.retained", driver, ReplicaDriver::checkpointSequencesRetained)
                .description("Sequences the checkpoint tracker holds votes for: at most n times "
                        + "(watermark-window / checkpoint-interval + 2), whatever peers send")
                .register(registry);
        Gauge.builder("pbft.retransmit.timeout", driver, d -> d.status().retransmitTimeoutMs() / 1000.0)
                .description("How long this replica waits without progress before it re-sends its messages;"
                        + " it grows with the time a block takes").baseUnit("seconds").register(registry);
        Gauge.builder("pbft.chain.height", store, s -> s.latestHeader().height())
                .description("Height of the newest stored block").register(registry);
        Gauge.builder("pbft.mempool.size", pending, PendingTransactions::size)
                .description("Transactions submitted to this replica that have not committed yet")
                .baseUnit("transactions").register(registry);
        Gauge.builder("pbft.consensus.failed", driver, d -> d.failure() == null ? 0 : 1)
                .description("1 once the pipeline (consensus, journal or execution thread) has stopped with an error")
                .register(registry);
        Gauge.builder("pbft.pipeline.queue", driver, ReplicaDriver::journalQueued).tag("stage", "journal")
                .description("Work waiting for a pipeline stage: Readies for the journal, committed batches "
                        + "for execution").register(registry);
        Gauge.builder("pbft.pipeline.queue", driver, ReplicaDriver::executionQueued).tag("stage", "execution")
                .description("Work waiting for a pipeline stage: Readies for the journal, committed batches "
                        + "for execution").register(registry);
        FunctionCounter.builder("pbft.journal.syncs", driver, ReplicaDriver::journalGroupCommits)
                .description("Journal fdatasyncs; each covers every Ready queued behind it").register(registry);
        FunctionCounter.builder("pbft.journal.readies", driver, ReplicaDriver::readiesJournaled)
                .description("Readies made durable; over pbft_journal_syncs_total, the mean group size")
                .register(registry);
        bindPeers(registry);
        for (DropReason reason : DropReason.values()) {
            FunctionCounter.builder("pbft.messages.dropped", driver, d -> d.coreDrops().getOrDefault(reason, 0L))
                    .description("Peer messages dropped, by stage (transport before the core, core by protocol rule) "
                            + "and reason")
                    .tag("stage", "core").tag("reason", reason.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        refreshTransportDropReasons();
        refresher.scheduleWithFixedDelay(this::refreshTransportDropReasons, DROP_REASON_REFRESH_MS,
                DROP_REASON_REFRESH_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }

    private void bindPeers(MeterRegistry registry) {
        for (ConsensusInfo.PeerInfo peer : peers.get()) {
            String tag = String.valueOf(peer.id());
            Gauge.builder("pbft.peer.reachable", peers, p -> reachable(p.get(), peer.id()))
                    .description("1 when the peer answered or sent a valid message within the last seconds")
                    .tag("peer", tag).register(registry);
            Gauge.builder("pbft.peer.link.up", peers, p -> linkUp(p.get(), peer.id()))
                    .description("1 while this replica's sender to the peer works; 0 after it caught an unexpected "
                            + "error (until a send succeeds) or while its thread is ended")
                    .tag("peer", tag).register(registry);
            Gauge.builder("pbft.peer.send.queue", queueDepths, q -> q.get().getOrDefault(peer.id(), 0))
                    .description("Messages waiting to be sent to the peer")
                    .baseUnit("messages").tag("peer", tag).register(registry);
        }
    }

    private static double linkUp(List<ConsensusInfo.PeerInfo> peers, int id) {
        for (ConsensusInfo.PeerInfo p : peers) {
            if (p.id() == id) {
                return p.linkUp() ? 1 : 0;
            }
        }
        return 0;
    }

    private static double reachable(List<ConsensusInfo.PeerInfo> peers, int id) {
        for (ConsensusInfo.PeerInfo p : peers) {
            if (p.id() == id) {
                return p.reachable() ? 1 : 0;
            }
        }
        return 0;
    }

    /**
     * Registers a counter for each transport drop reason seen so far. The transport names its reasons
     * at run time, so this is called periodically; known reasons are skipped.
     */
    public void refreshTransportDropReasons() {
        MeterRegistry target = registry;
        if (target == null) {
            return;
        }
        for (String reason : transportDrops.snapshot().keySet()) {
            if (registeredReasons.add(reason)) {
                FunctionCounter.builder("pbft.messages.dropped", transportDrops,
                                d -> d.snapshot().getOrDefault(reason, 0L))
                        .description("Peer messages dropped, by stage (transport before the core, core by protocol "
                                + "rule) and reason")
                        .tag("stage", "transport").tag("reason", reason).register(target);
            }
        }
    }
}
