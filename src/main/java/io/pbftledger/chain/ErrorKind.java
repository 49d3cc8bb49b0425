package io.pbftledger.chain;

/** Why an input was refused; the REST layer maps each kind to one HTTP status. */
public enum ErrorKind {
    /** Malformed or out-of-schema input (400). */
    INVALID,
    /** A signature does not verify (401). */
    BAD_SIGNATURE,
    /** The client is not a member or lacks the role (403). */
    FORBIDDEN,
    /** The transaction, block or key does not exist (404). */
    NOT_FOUND,
    /** The same (clientId, nonce) was used for different content (409). */
    CONFLICT,
    /** A body or payload is over its limit (413). */
    TOO_LARGE,
    /** The mempool is full or the replica is overloaded: retry later (429). */
    OVERLOADED,
    /** The replica cannot serve the request right now (503). */
    UNAVAILABLE
}
