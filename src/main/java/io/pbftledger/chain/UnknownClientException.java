package io.pbftledger.chain;

/** A {@link ErrorKind#FORBIDDEN} refusal of a client that is not, or no longer, a member of the ledger. */
public final class UnknownClientException extends LedgerException {
    public UnknownClientException(String detail) {
        super(ErrorKind.FORBIDDEN, detail);
    }

    /** "client '<id>' is not a member of this ledger". */
    public static UnknownClientException notAMember(String clientId) {
        return new UnknownClientException("client '" + clientId + "' is not a member of this ledger");
    }
}
