package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.PeerOutbox;
import io.pbftledger.pbft.fault.CheckpointFlood;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Signed;

/**
 * Sends a {@link CheckpointFlood} to every peer from a daemon thread of its own, beside the replica's
 * honest messages (ledger.fault-injection.mode=checkpoint-flood): {@value #BURST_CHECKPOINTS}
 * CHECKPOINTs every {@value #BURST_INTERVAL_MS} ms, so about 1,000 distinct signed CHECKPOINTs a
 * second to each peer. That is far more than any correct replica sends (one per K sequences) while
 * leaving a small test machine usable; the per-peer send queue bounds what piles up.
 */
public final class CheckpointFlooder implements AutoCloseable {
    static final int BURST_CHECKPOINTS = 50;
    static final long BURST_INTERVAL_MS = 50;

    private final PeerOutbox honest;
    private final CheckpointFlood flood;
    private final Membership membership;
    private final int self;
    private final Thread thread;
    private volatile boolean running = true;

    public CheckpointFlooder(PeerOutbox honest, CheckpointFlood flood, Membership membership, int self) {
        this.honest = honest;
        this.flood = flood;
        this.membership = membership;
        this.self = self;
        this.thread = new Thread(this::run, "pbft-fault-checkpoint-flood");
        thread.setDaemon(true);
    }

    public CheckpointFlooder start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            while (running) {
                for (int i = 0; i < BURST_CHECKPOINTS; i++) {
                    Signed<Checkpoint> checkpoint = flood.next();
                    for (int to = 0; to < membership.n(); to++) {
                        if (to != self) {
                            honest.send(to, checkpoint);
                        }
                    }
                }
                Thread.sleep(BURST_INTERVAL_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
