package io.pbftledger.client;

/** The replicas refused the request with an RFC 9457 problem (bad input, unknown key, nonce conflict, ...). */
public final class RefusedException extends LedgerClientException {
    private final int status;

    public RefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The HTTP status of the refusal (400, 401, 403, 404, 409, 413, 429, ...). */
    public int status() {
        return status;
    }
}
