package io.pbftledger.api;

/** Who may read ({@code ledger.api.reads}). */
public enum ReadAccess {
    /** Anyone may read (the default). */
    OPEN,
    /** Every GET under /api/v1 needs a client with the read (or admin) role, proved by a {@link ReadAuthenticator}. */
    AUTHENTICATED
}
