package io.pbftledger.api;

import io.pbftledger.chain.Refusal;
import java.util.Objects;
import java.util.Optional;

/**
 * What executing a committed transaction did: EXECUTED (it took effect) or REFUSED (ordered, but
 * execution refused it and it changed nothing; {@code refusal} says why). Ordering alone is not
 * success, so every answer that reports a transaction COMMITTED also reports this. A block's
 * listing reports positions, so it has a third outcome: SKIPPED, a copy ordered again whose
 * (clientId, nonce) ran (or was refused) at an earlier position; it changed nothing.
 *
 * @param refusal present exactly when the outcome is REFUSED
 */
record TransactionOutcome(String outcome, ExecutionRefusalView refusal) {
    static final String EXECUTED = "EXECUTED";
    static final String REFUSED = "REFUSED";
    static final String SKIPPED = "SKIPPED";

    TransactionOutcome {
        Objects.requireNonNull(outcome, "outcome");
        if (!outcome.equals(EXECUTED) && !outcome.equals(REFUSED) && !outcome.equals(SKIPPED)) {
            throw new IllegalArgumentException("outcome is EXECUTED, REFUSED or SKIPPED, got " + outcome);
        }
        if (outcome.equals(REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal comes with the REFUSED outcome, and only with it");
        }
    }

    static TransactionOutcome executed() {
        return new TransactionOutcome(EXECUTED, null);
    }

    /** A later copy of a transaction whose (clientId, nonce) ran before; only a block's listing reports it. */
    static TransactionOutcome skipped() {
        return new TransactionOutcome(SKIPPED, null);
    }

    /** REFUSED with the stored refusal if there is one, else EXECUTED. */
    static TransactionOutcome of(Optional<Refusal> refusal) {
        return refusal.map(r -> new TransactionOutcome(REFUSED, ExecutionRefusalView.of(r)))
                .orElseGet(TransactionOutcome::executed);
    }

    boolean refused() {
        return refusal != null;
    }
}
