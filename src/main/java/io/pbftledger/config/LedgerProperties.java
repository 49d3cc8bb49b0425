package io.pbftledger.config;

import io.pbftledger.pbft.core.ReplicaConfig;
import io.pbftledger.pbft.fault.FaultMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code ledger.*} settings of one replica. Ranges are checked when Spring binds them; checks
 * across settings and against the files they name are in {@link StartupCheck}.
 *
 * <p>The file settings are optional here (null when unset) so contexts that need no replica, such
 * as web slices in tests, can still bind this record; {@link StartupCheck} requires them.
 * Paths are strings because Spring's {@code Path} conversion may resolve a relative path against
 * the class path; {@link #membershipPath()} and friends turn them into file system paths.
 *
 * @param replicaId            this replica's id in the membership (0..n-1)
 * @param membershipFile       path of {@code membership.yml}
 * @param keyFile              path of this replica's {@code replica-<i>.key}
 * @param dataDir              directory for this replica's database and files
 * @param batch                limits of one ordered batch (one block)
 * @param checkpointInterval   sequence numbers between checkpoints (PBFT's K)
 * @param watermarkWindow      sequence numbers between low and high watermark (PBFT's L); a multiple of K
 * @param viewChangeTimeoutMs  how long a backup waits for a pending request before starting a view change
 * @param rejoinPeriodMs       a replica joins a lone VIEW-CHANGE (to bring back a replica alone in a view
 *                             change) only if it started no view change within this time; 0 means 16 ×
 *                             {@code viewChangeTimeoutMs}, else at least {@code viewChangeTimeoutMs}
 * @param mempool              limits of the pending-transaction pool
 * @param timestampSkewMs      largest accepted difference between a batch timestamp and local time
 * @param peer                 limits of the outbound peer links
 * @param retransmitIntervalMs how often unanswered consensus messages are sent again
 * @param demo                 demo mode (signing endpoint with local client identities)
 * @param verify               the client-signature checks: pool size and memory of verified transactions
 * @param join                 this replica joins an existing chain: its id or key need not be in the
 *                             membership file (a replica-set change adds it or gives it its key, and it
 *                             learns the current replica set by state transfer)
 */
@Validated
@ConfigurationProperties("ledger")
public record LedgerProperties(
        @Min(0) Integer replicaId,
        String membershipFile,
        String keyFile,
        String dataDir,
        @Valid @DefaultValue Batch batch,
        @DefaultValue("100") @Min(1) @Max(1_000_000) long checkpointInterval,
        @DefaultValue("200") @Min(1) @Max(10_000_000) long watermarkWindow,
        @DefaultValue("2000") @Min(10) @Max(3_600_000) long viewChangeTimeoutMs,
        @DefaultValue("0") @Min(0) @Max(86_400_000) long rejoinPeriodMs,
        @Valid @DefaultValue Mempool mempool,
        @DefaultValue("5000") @Min(0) @Max(3_600_000) long timestampSkewMs,
        @Valid @DefaultValue Peer peer,
        @DefaultValue("1000") @Min(1) @Max(3_600_000) long retransmitIntervalMs,
        @Valid @DefaultValue Demo demo,
        @Valid @DefaultValue FaultInjection faultInjection,
        @Valid @DefaultValue Verify verify,
        @DefaultValue("false") boolean join) {

    /** {@code rejoinPeriodMs}, or its default (16 view-change timeouts) when it is 0. */
    public long effectiveRejoinPeriodMs() {
        return rejoinPeriodMs == 0 ? ReplicaConfig.defaultRejoinPeriodMs(viewChangeTimeoutMs)
                : rejoinPeriodMs;
    }

    /**
     * Deliberate misbehaviour for testing fault tolerance on real replicas; refused unless enabled.
     *
     * @param enabled must be true for {@code mode} to be accepted
     * @param mode    silent, slow, bad-digest-primary, bad-digest-prepares, wrong-replies,
     *                equivocating-primary, forged-votes, replaying, censoring-primary, lying-state-transfer,
     *                checkpoint-flood or replay-flood; empty for an honest replica
     * @param delayMs how long {@code slow} holds each outgoing message
     * @param censoredClients comma-separated client ids whose requests {@code censoring-primary} never
     *                        proposes while it is primary
     */
    public record FaultInjection(@DefaultValue("false") boolean enabled, String mode,
                                 @DefaultValue("500") @Min(0) @Max(600_000) long delayMs,
                                 @DefaultValue("") String censoredClients) {

        /** The client ids of {@code censoredClients}, trimmed, without empty entries; sorted. */
        public java.util.SortedSet<String> censoredClientIds() {
            java.util.TreeSet<String> ids = new java.util.TreeSet<>();
            if (censoredClients != null) {
                for (String id : censoredClients.split(",")) {
                    if (!id.isBlank()) {
                        ids.add(id.strip());
                    }
                }
            }
            return ids;
        }

        /** The configured mode, or empty for an honest replica. */
        public Optional<FaultMode> faultMode() {
            if (mode == null || mode.isBlank()) {
                return Optional.empty();
            }
            String constant = mode.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (FaultMode m : FaultMode.values()) {
                if (m.name().equals(constant)) {
                    return Optional.of(m);
                }
            }
            throw new IllegalArgumentException("ledger.fault-injection.mode '" + mode + "' is not one of "
                    + Arrays.stream(FaultMode.values()).map(m -> m.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
        }
    }

    /**
     * @param maxTransactions most transactions in one batch
     * @param maxBytes        most wire bytes of the transactions in one batch (8 MiB)
     * @param maxDelayMs      longest time the primary waits to fill a batch before proposing it, while
     *                        fewer than {@code pipelineDepth} of its proposals are unexecuted; 0 (the
     *                        default): a batch leaves as soon as the pipeline has room, so an idle
     *                        cluster orders a lone request at once and batches grow only under load
     * @param pipelineDepth   adaptive batching: with this many proposals unexecuted, a partial batch
     *                        waits (and grows) until one executes; a full batch never waits
     */
    public record Batch(
            @DefaultValue("500") @Min(1) @Max(100_000) int maxTransactions,
            @DefaultValue("8388608") @Min(1024) @Max(268_435_456) int maxBytes,
            @DefaultValue("0") @Min(0) @Max(60_000) long maxDelayMs,
            @DefaultValue("2") @Min(1) @Max(100_000) int pipelineDepth) {
    }

    /**
     * Admission backpressure: what a replica accepts is bounded, and what it accepted is kept until it
     * executes. With {@code adaptToRate} the bound follows what the cluster executes (see
     * {@code AdmissionBound}), so an accepted transaction is not left waiting long enough to set off a
     * backup's request timer even when the cluster is slower than the 4 × 1000 the default allows.
     *
     * @param maxTransactions          most transactions this replica accepted and has not executed (its
     *                                 mempool, M); beyond it submissions are refused with 429 and Retry-After
     * @param proposalQueueMaxRequests most requests forwarded by other replicas that the primary queues (and
     *                                 a backup relays); unset: n × maxTransactions, the least allowed, so an
     *                                 honest replica's accepted request is never dropped by the primary
     * @param adaptToRate              admit at most what the cluster executes in half a view-change
     *                                 timeout, shared among the replicas (at least {@link #ADAPTIVE_FLOOR},
     *                                 at most maxTransactions), so that a saturated cluster does not change
     *                                 view for the queue it was handed (see {@code AdmissionBound}); false:
     *                                 always maxTransactions
     */
    public record Mempool(@DefaultValue("1000") @Min(1) @Max(10_000_000) int maxTransactions,
                          @Min(1) @Max(100_000_000) Integer proposalQueueMaxRequests,
                          @DefaultValue("true") boolean adaptToRate) {
        /** What a replica admits whatever the measured rate (a fresh or idle cluster takes a burst). */
        public static final int ADAPTIVE_FLOOR = 128;

        /** n × maxTransactions: what all n replicas' mempools may hold together. */
        public long honestForwardBound(int n) {
            return (long) n * maxTransactions;
        }

        /** The configured proposal queue bound, or {@link #honestForwardBound} when unset. */
        public int proposalQueueMaxRequests(int n) {
            long bound = proposalQueueMaxRequests != null ? proposalQueueMaxRequests : honestForwardBound(n);
            return (int) Math.min(Integer.MAX_VALUE / 2, bound);
        }
    }

    /**
     * @param queueMaxMessages       most messages queued for one peer; beyond it the oldest are dropped
     * @param sendBatchMaxMessages   most messages sent to a peer in one HTTP request
     * @param http2                  ask peers for HTTP/2 (h2 over TLS, h2c over plain HTTP); a peer
     *                               that does not speak it is reached over HTTP/1.1
     * @param budgetMessagesPerSecond        messages one peer may send per second (0: unlimited); beyond
     *                                       it they are dropped before any check
     * @param budgetBytesPerSecond           request-body bytes one peer may send per second (0: unlimited)
     * @param budgetSignatureChecksPerSecond signature checks one peer's messages may cost per second,
     *                                       nested ones of a VIEW-CHANGE or NEW-VIEW included (0: unlimited)
     * @param replayWindowMs                 a signed message received again within this time of the last
     *                                       copy let through is dropped as a replay; shorter than the
     *                                       retransmit interval, so honest re-sends pass
     * @param verifiedMaxEntries             signed messages remembered as verified (each distinct message
     *                                       costs its signature checks once)
     * @param eventQueueMaxBytes             most estimated wire bytes of peer messages and client requests
     *                                       waiting for the consensus thread
     * @param authWindowMs                   without TLS, a peer request's signed nonce (the sender's clock)
     *                                       must be within this time of this replica's clock
     * @param inFlightMaxBytes               most request-body bytes all peers together may have in flight at
     *                                       this replica at once (0: f+1 times what one peer may); beyond it a
     *                                       request is refused with 503 before its body is read
     */
    public record Peer(
            @DefaultValue("10000") @Min(1) @Max(10_000_000) int queueMaxMessages,
            @DefaultValue("256") @Min(1) @Max(100_000) int sendBatchMaxMessages,
            @DefaultValue("false") boolean http2,
            @DefaultValue("5000") @Min(0) @Max(100_000_000) long budgetMessagesPerSecond,
            @DefaultValue("67108864") @Min(0) @Max(68_719_476_736L) long budgetBytesPerSecond,
            @DefaultValue("5000") @Min(0) @Max(100_000_000) long budgetSignatureChecksPerSecond,
            @DefaultValue("500") @Min(0) @Max(3_600_000) long replayWindowMs,
            @DefaultValue("50000") @Min(1) @Max(10_000_000) int verifiedMaxEntries,
            @DefaultValue("67108864") @Min(1_048_576) @Max(68_719_476_736L) long eventQueueMaxBytes,
            @DefaultValue("30000") @Min(1_000) @Max(3_600_000) long authWindowMs,
            @DefaultValue("0") @Min(0) @Max(68_719_476_736L) long inFlightMaxBytes) {
    }

    /**
     * @param threads          threads checking client signatures off the consensus thread (0: one per core)
     * @param cacheMaxEntries  transactions remembered as verified, so that a transaction is verified once
     *                         per replica however often it arrives (submitted, relayed, in a PRE-PREPARE)
     */
    public record Verify(
            @DefaultValue("0") @Min(0) @Max(1024) int threads,
            @DefaultValue("200000") @Min(1) @Max(100_000_000) int cacheMaxEntries) {
        /** {@link #threads}, or the number of cores when it is 0. */
        public int poolSize(int cores) {
            return threads > 0 ? threads : Math.max(1, cores);
        }
    }

    /**
     * @param enabled       turns on the demo signing endpoint
     * @param identitiesDir directory of client key files the demo signs with (null: none)
     */
    public record Demo(@DefaultValue("false") boolean enabled, String identitiesDir) {
    }

    /** Every setting at its default (no replica id or files), bound through Spring's own binder so the defaults live in one place. */
    public static LedgerProperties defaults() {
        return new Binder().bindOrCreate("ledger", LedgerProperties.class);
    }

    public Path membershipPath() {
        return membershipFile == null ? null : Path.of(membershipFile);
    }

    public Path keyPath() {
        return keyFile == null ? null : Path.of(keyFile);
    }

    public Path dataPath() {
        return dataDir == null ? null : Path.of(dataDir);
    }
}
