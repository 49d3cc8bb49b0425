package io.pbftledger.hostile;

/** What a generated request tries; the run counts requests and answers by kind. */
public enum Kind {
    /** Bodies that are not a well-formed transaction: truncated, mistyped, unknown fields, bad UTF-8, wrong content types. */
    MALFORMED("malformed"),
    /** Bodies over the documented caps: single transaction, batch, chunked without Content-Length, payload, peer votes. */
    OVERSIZED("oversized"),
    /** JSON nested deeper than the depth limit. */
    NESTED("nested"),
    /** Huge arrays, token counts, long strings, numbers and names, objects with too many properties. */
    HUGE("huge"),
    /** Path spellings meant to slip past closed reads, the body cap and the peer and admin checks. */
    PATH_TRICK("path-trick"),
    /** Valid requests sent again: transactions, batches, signed reads, peer messages. */
    REPLAYED("replayed"),
    /** Bad signatures, wrong chain, unknown clients, tampered bodies, forged peer requests. */
    FORGED("forged"),
    /** Methods an endpoint does not serve. */
    WRONG_METHOD("wrong-method"),
    /** Valid signed transactions and reads mixed in: they must be served, and exactly these stored. */
    VALID("valid");

    private final String label;

    Kind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
