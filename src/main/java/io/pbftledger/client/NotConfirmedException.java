package io.pbftledger.client;

/**
 * A submission was not confirmed (f+1 matching signed confirmations) before the
 * client's timeout. {@link #pending()} tells whether some replica reported it still pending.
 */
public final class NotConfirmedException extends LedgerClientException {
    private final boolean pending;

    public NotConfirmedException(String message, boolean pending) {
        super(message);
        this.pending = pending;
    }

    public boolean pending() {
        return pending;
    }
}
