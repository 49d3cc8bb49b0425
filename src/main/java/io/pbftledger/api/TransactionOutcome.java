package io.pbftledger.api;

import io.pbftledger.chain.Refusal;
import java.util.Objects;
import java.util.Optional;

/**
 * What executing a committed transaction did: EXECUTED (it took effect) or REFUSED (ordered, but
 * execution refused it and it changed nothing; {@code refusal} says why). Ordering alone is not
 * success, so every answer that reports a transaction COMMITTED also reports this.
 *
 * @param refusal present exactly when the outcome is REFUSED
 */
record TransactionOutcome(String outcome, ExecutionRefusalView refusal) {
    static final String EXECUTED = "EXECUTED";
    static final String REFUSED = "REFUSED";

    TransactionOutcome {
        Objects.requireNonNull(outcome, "outcome");
        if (!outcome.equals(EXECUTED) && !outcome.equals(REFUSED)) {
            throw new IllegalArgumentException("outcome is EXECUTED or REFUSED, got " + outcome);
        }
        if (outcome.equals(REFUSED) != (refusal != null)) {
            throw new IllegalArgumentException("a refusal comes with the REFUSED outcome, and only with it");
        }
    }

    static TransactionOutcome executed() {
        return new TransactionOutcome(EXECUTED, null);
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
