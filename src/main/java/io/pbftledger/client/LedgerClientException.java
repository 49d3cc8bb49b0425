package io.pbftledger.client;

/** A request the client could not complete; the message is one line fit for a user. */
public class LedgerClientException extends RuntimeException {

    public LedgerClientException(String message) {
        super(message);
    }

    public LedgerClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
