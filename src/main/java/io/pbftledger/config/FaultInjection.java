package io.pbftledger.config;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.PeerOutbox;
import io.pbftledger.pbft.fault.CheckpointFlood;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.pbft.fault.FaultInjector;
import io.pbftledger.pbft.fault.FaultMode;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.transport.CheckpointFlooder;
import io.pbftledger.transport.FaultyPeerOutbox;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The replica's configured fault mode (ledger.fault-injection.*), empty for an honest replica. */
public final class FaultInjection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaultInjection.class);

    private final Optional<FaultInjector> injector;
    private final Membership membership;
    private final int self;
    private final ScheduledExecutorService delayer;
    /** Mode checkpoint-flood: what the flooder sends; empty otherwise. */
    private final Optional<CheckpointFlood> flood;
    /** Started by {@link #wrap}, stopped by {@link #close}. */
    private volatile CheckpointFlooder flooder;

    private FaultInjection(Optional<FaultInjector> injector, Membership membership, int self,
                           Optional<CheckpointFlood> flood) {
        this.injector = injector;
        this.flood = flood;
        this.membership = membership;
        this.self = self;
        this.delayer = injector.isPresent() ? Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pbft-fault-delay");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    static FaultInjection of(LedgerProperties props, Membership membership, Ed25519.PrivateKey key) {
        LedgerProperties.FaultInjection fi = props.faultInjection();
        Optional<FaultMode> mode = fi.enabled() ? fi.faultMode() : Optional.empty();
        int self = props.replicaId();
        mode.ifPresent(m -> LOG.warn("""

                *****************************************************************************
                *  FAULT INJECTION ENABLED: replica {} deliberately misbehaves as '{}'.
                *  This replica is Byzantine on purpose. Never run this in production.
                *****************************************************************************""",
                self, fi.mode()));
        SigningDomain domain = Genesis.signingDomain(membership);
        Optional<CheckpointFlood> flood = mode.filter(m -> m == FaultMode.CHECKPOINT_FLOOD)
                .map(m -> new CheckpointFlood(self, props.checkpointInterval(), domain, key::sign));
        return new FaultInjection(mode.map(m -> new FaultInjector(m, self, membership.n(), fi.delayMs(), domain,
                key::sign, fi.censoredClientIds())), membership, self, flood);
    }

    /** The outbox the driver uses: the honest one, or one that misbehaves as configured. */
    PeerOutbox wrap(PeerOutbox honest) {
        flood.ifPresent(f -> flooder = new CheckpointFlooder(honest, f, membership, self).start());
        if (injector.isEmpty() || (!injector.get().mode().rewritesMessages() && injector.get().delayMs() == 0)) {
            return honest;
        }
        FaultyPeerOutbox faulty = new FaultyPeerOutbox(honest, injector.get(), membership, self, delayer);
        if (injector.get().mode() == FaultMode.REPLAY_FLOOD) {
            faulty.startFlood();
        }
        return faulty;
    }

    /** Mode censoring-primary: the driver withholds the censored clients' requests from the core while primary. */
    void applyTo(ReplicaDriver driver) {
        injector.filter(i -> i.mode() == FaultMode.CENSORING_PRIMARY)
                .ifPresent(i -> driver.withholdWhilePrimary(i::censors));
    }

    /** Whether the replica tells clients wrong results (mode wrong-replies). */
    public boolean reportsWrongResults() {
        return injector.map(FaultInjector::reportsWrongResults).orElse(false);
    }

    /** Whether the replica serves lying state-transfer pages (mode lying-state-transfer). */
    public boolean liesInStateTransfer() {
        return injector.map(i -> i.mode() == FaultMode.LYING_STATE_TRANSFER).orElse(false);
    }

    @Override
    public void close() {
        if (delayer != null) {
            delayer.shutdownNow();
        }
        CheckpointFlooder running = flooder;
        if (running != null) {
            running.close();
        }
    }
}
