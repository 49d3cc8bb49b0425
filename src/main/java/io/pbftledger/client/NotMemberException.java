package io.pbftledger.client;

/**
 * At least f+1 replicas (so at least one honest one) say the client identity may not act with its
 * key: revoked, never added, or the ledger now holds another key for its client id.
 */
public final class NotMemberException extends LedgerClientException {

    public NotMemberException(String message) {
        super(message);
    }
}
