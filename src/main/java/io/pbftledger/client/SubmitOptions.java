package io.pbftledger.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Timing of a submission.
 *
 * @param resendAfter   how long the first replica alone gets before the transaction is sent to all replicas
 * @param proofAfter    after this long without f+1 matching confirmations, replicas that said COMMITTED are
 *                      asked for their proofs: a verified one of the location f+1 replicas sign is attached to
 *                      the result, but a proof never replaces those f+1 signed confirmations
 * @param timeout       the whole submission, after which it ends unconfirmed
 * @param serverWait    how long one replica holds a {@code ?wait=true} request (its waitMs, 1 ms .. 60 s)
 * @param pollInterval  how often a replica that has not committed yet is asked again for its confirmation
 */
public record SubmitOptions(Duration resendAfter, Duration proofAfter, Duration timeout, Duration serverWait,
                            Duration pollInterval) {
    public static final Duration SERVER_WAIT_MAX = Duration.ofSeconds(60);

    public SubmitOptions {
        Objects.requireNonNull(resendAfter, "resendAfter");
        Objects.requireNonNull(proofAfter, "proofAfter");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(serverWait, "serverWait");
        Objects.requireNonNull(pollInterval, "pollInterval");
        requirePositive(resendAfter, "resendAfter");
        requirePositive(proofAfter, "proofAfter");
        requirePositive(timeout, "timeout");
        requirePositive(pollInterval, "pollInterval");
        if (serverWait.toMillis() < 1 || serverWait.compareTo(SERVER_WAIT_MAX) > 0) {
            throw new IllegalArgumentException("serverWait must be between 1 ms and 60 s, got " + serverWait);
        }
    }

    /** 2 s to the first replica alone, proofs after 5 s, 60 s in all. */
    public static SubmitOptions defaults() {
        return new SubmitOptions(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(60),
                Duration.ofSeconds(10), Duration.ofMillis(200));
    }

    public SubmitOptions withTimeout(Duration timeout) {
        return new SubmitOptions(resendAfter, proofAfter, timeout, serverWait, pollInterval);
    }

    public SubmitOptions withResendAfter(Duration resendAfter) {
        return new SubmitOptions(resendAfter, proofAfter, timeout, serverWait, pollInterval);
    }

    public SubmitOptions withProofAfter(Duration proofAfter) {
        return new SubmitOptions(resendAfter, proofAfter, timeout, serverWait, pollInterval);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
