package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.Quorums;

/**
 * Static configuration of one replica. n is at least 4 (f = ⌊(n−1)/3⌋, see {@link Quorums}); the watermark window
 * must be a positive multiple of the checkpoint interval so that h only ever moves to
 * checkpoint sequences.
 *
 * <p>{@code proposalQueueMaxRequests} bounds the primary's queue of requests forwarded by other
 * replicas (and each backup's buffer of requests relayed to it). The node sets it to at least n
 * times its mempool bound, i.e. what all n replicas together may have accepted and not executed,
 * so an honest replica's request never needs to give way; only a faulty replica forwarding more
 * than that finds it full (see {@code FairQueue}).
 *
 * <p>{@code rejoinPeriodMs} bounds the assisted view changes (docs/design.md, "A replica alone in a
 * view change"): a replica joins a VIEW-CHANGE for its next view that nobody followed for a
 * view-change timeout only if it started no view change within this period, so a faulty replica gets
 * at most one view change per period out of the rule. At least the view-change timeout; by default
 * {@link #REJOIN_PERIOD_TIMEOUTS} view-change timeouts.
 *
 * <p>{@code batchPipelineDepth} makes batches adapt to the load: while this many of the primary's
 * proposals are not yet executed, a waiting batch is cut only when it is full, not when
 * {@code batchMaxDelayMs} has passed; the next execution cuts it. Under load batches grow instead of
 * the pipeline filling with small ones; an idle cluster proposes a lone request at once.
 *
 * <p>Build one with {@link #builder}; the {@code with...} methods change one value of an existing one.
 */
public record ReplicaConfig(int replicaId, int n, long checkpointInterval, long watermarkWindow,
        int batchMaxTransactions, long batchMaxBytes, long batchMaxDelayMs, long timestampSkewMs,
        long retransmitIntervalMs, long viewChangeTimeoutMs, int proposalQueueMaxRequests,
        int batchPipelineDepth, long rejoinPeriodMs, ReplicaSet members) {
    /** The view-change timeout when a configuration does not name one. */
    public static final long DEFAULT_VIEW_CHANGE_TIMEOUT_MS = 2_000;
    /** The default rejoin period in view-change timeouts (see {@link #defaultRejoinPeriodMs}). */
    public static final int REJOIN_PERIOD_TIMEOUTS = 16;
    /** Proposals in flight before the primary lets a batch grow past its delay; see {@link #batchPipelineDepth}. */
    public static final int DEFAULT_BATCH_PIPELINE_DEPTH = 2;
    /** The smallest default proposal queue: with a small window, one window's worth is too little under load. */
    private static final long MIN_DEFAULT_PROPOSAL_QUEUE = 4_096;

    public ReplicaConfig {
        require(n >= Quorums.MIN_REPLICAS, "n must be at least " + Quorums.MIN_REPLICAS + ", got " + n);
        require(members != null && members.n() == n, "members must list n = " + n + " replicas, got " + members);
        require(replicaId >= 0, "replicaId must not be negative, got " + replicaId);
        require(checkpointInterval > 0, "checkpointInterval must be positive");
        require(watermarkWindow > 0 && watermarkWindow % checkpointInterval == 0,
                "watermarkWindow must be a positive multiple of checkpointInterval");
        require(batchMaxTransactions > 0, "batchMaxTransactions must be positive");
        require(batchMaxBytes > 0, "batchMaxBytes must be positive");
        require(batchMaxDelayMs >= 0, "batchMaxDelayMs must not be negative");
        require(timestampSkewMs > 0, "timestampSkewMs must be positive");
        require(retransmitIntervalMs > 0, "retransmitIntervalMs must be positive");
        require(viewChangeTimeoutMs > 0, "viewChangeTimeoutMs must be positive");
        require(proposalQueueMaxRequests > 0, "proposalQueueMaxRequests must be positive");
        require(batchPipelineDepth > 0, "batchPipelineDepth must be positive");
        require(rejoinPeriodMs >= viewChangeTimeoutMs, "rejoinPeriodMs (" + rejoinPeriodMs
                + ") must be at least viewChangeTimeoutMs (" + viewChangeTimeoutMs + ")");
    }

    /** {@link #REJOIN_PERIOD_TIMEOUTS} view-change timeouts (saturating). */
    public static long defaultRejoinPeriodMs(long viewChangeTimeoutMs) {
        return viewChangeTimeoutMs > Long.MAX_VALUE / REJOIN_PERIOD_TIMEOUTS ? Long.MAX_VALUE
                : viewChangeTimeoutMs * REJOIN_PERIOD_TIMEOUTS;
    }

    /** One full watermark window of full batches, at least 4,096 (for callers that set no bound). */
    public static int defaultProposalQueueMaxRequests(long watermarkWindow, int batchMaxTransactions) {
        return (int) Math.min(Integer.MAX_VALUE / 2,
                Math.max(MIN_DEFAULT_PROPOSAL_QUEUE, watermarkWindow * batchMaxTransactions));
    }

    /** Defaults suited to the ~3,000 tx/s target: K=100, L=2K, batches of up to 500 / 4 MiB / 20 ms. */
    public static ReplicaConfig withDefaults(int replicaId, int n) {
        return builder(replicaId, n).build();
    }

    /** A configuration for replica {@code replicaId} of {@code n}, with the defaults of {@link Builder}. */
    public static Builder builder(int replicaId, int n) {
        return new Builder(replicaId, n);
    }

    /**
     * Builds a configuration by concern, so that no caller lines up a dozen numbers. Unset values:
     * checkpoints every 100 sequences with a window of 200, batches of up to 500 requests / 4 MiB /
     * 20 ms, timestamps within 5 s, retransmission after 1 s, the view-change timeout
     * {@link #DEFAULT_VIEW_CHANGE_TIMEOUT_MS}, the proposal queue
     * {@link #defaultProposalQueueMaxRequests}, pipeline depth {@link #DEFAULT_BATCH_PIPELINE_DEPTH}
     * and the rejoin period {@link #defaultRejoinPeriodMs} of the timeout.
     */
    public static final class Builder {
        private final int replicaId;
        private int n;
        private ReplicaSet members;
        private long checkpointInterval = 100;
        private long watermarkWindow = 200;
        private int batchMaxTransactions = 500;
        private long batchMaxBytes = 4L << 20;
        private long batchMaxDelayMs = 20;
        private long timestampSkewMs = 5_000;
        private long retransmitIntervalMs = 1_000;
        private long viewChangeTimeoutMs = DEFAULT_VIEW_CHANGE_TIMEOUT_MS;
        private Integer proposalQueueMaxRequests;
        private int batchPipelineDepth = DEFAULT_BATCH_PIPELINE_DEPTH;
        private Long rejoinPeriodMs;

        private Builder(int replicaId, int n) {
            this.replicaId = replicaId;
            this.n = n;
        }

        /** A checkpoint every {@code interval} sequences; the watermark window L, a multiple of it. */
        public Builder checkpoints(long interval, long window) {
            this.checkpointInterval = interval;
            this.watermarkWindow = window;
            return this;
        }

        /** A batch holds at most {@code maxTransactions} requests and {@code maxBytes}, and waits at most {@code maxDelayMs}. */
        public Builder batches(int maxTransactions, long maxBytes, long maxDelayMs) {
            this.batchMaxTransactions = maxTransactions;
            this.batchMaxBytes = maxBytes;
            this.batchMaxDelayMs = maxDelayMs;
            return this;
        }

        /** How far a batch timestamp may lie ahead of a backup's clock. */
        public Builder timestampSkewMs(long ms) {
            this.timestampSkewMs = ms;
            return this;
        }

        public Builder retransmitIntervalMs(long ms) {
            this.retransmitIntervalMs = ms;
            return this;
        }

        public Builder viewChangeTimeoutMs(long ms) {
            this.viewChangeTimeoutMs = ms;
            return this;
        }

        public Builder proposalQueueMaxRequests(int max) {
            this.proposalQueueMaxRequests = max;
            return this;
        }

        public Builder batchPipelineDepth(int depth) {
            this.batchPipelineDepth = depth;
            return this;
        }

        /** The replicas by id when they are not 0..n−1 (a set after removals); n becomes their number. */
        public Builder members(ReplicaSet replicas) {
            this.members = replicas;
            this.n = replicas.n();
            return this;
        }

        public Builder rejoinPeriodMs(long ms) {
            this.rejoinPeriodMs = ms;
            return this;
        }

        public ReplicaConfig build() {
            return new ReplicaConfig(replicaId, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                    batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, viewChangeTimeoutMs,
                    proposalQueueMaxRequests != null ? proposalQueueMaxRequests
                            : defaultProposalQueueMaxRequests(watermarkWindow, batchMaxTransactions),
                    batchPipelineDepth,
                    rejoinPeriodMs != null ? rejoinPeriodMs : defaultRejoinPeriodMs(viewChangeTimeoutMs),
                    members != null ? members : ReplicaSet.ofSize(n));
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** The certificate sizes of this replica set. */
    public Quorums quorums() {
        return members.quorums();
    }

    public int f() {
        return quorums().f();
    }

    /** ⌈(n+f+1)/2⌉ (2f+1 when n = 3f+1): the size of every prepare/commit/checkpoint quorum. */
    public int quorum() {
        return quorums().quorum();
    }

    public ReplicaConfig withReplicaId(int id) {
        return new ReplicaConfig(id, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, viewChangeTimeoutMs,
                proposalQueueMaxRequests, batchPipelineDepth, rejoinPeriodMs, members);
    }

    /** With {@code timeoutMs} and the default rejoin period for it. */
    public ReplicaConfig withViewChangeTimeoutMs(long timeoutMs) {
        return new ReplicaConfig(replicaId, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, timeoutMs,
                proposalQueueMaxRequests, batchPipelineDepth, defaultRejoinPeriodMs(timeoutMs), members);
    }

    public ReplicaConfig withProposalQueueMaxRequests(int maxRequests) {
        return new ReplicaConfig(replicaId, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, viewChangeTimeoutMs,
                maxRequests, batchPipelineDepth, rejoinPeriodMs, members);
    }

    public ReplicaConfig withBatchPipelineDepth(int depth) {
        return new ReplicaConfig(replicaId, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, viewChangeTimeoutMs,
                proposalQueueMaxRequests, depth, rejoinPeriodMs, members);
    }

    public ReplicaConfig withRejoinPeriodMs(long periodMs) {
        return new ReplicaConfig(replicaId, n, checkpointInterval, watermarkWindow, batchMaxTransactions,
                batchMaxBytes, batchMaxDelayMs, timestampSkewMs, retransmitIntervalMs, viewChangeTimeoutMs,
                proposalQueueMaxRequests, batchPipelineDepth, periodMs, members);
    }
}
