package io.pbftledger.chain;

/** A refused input or a failed lookup, with a one-line reason fit for a client. */
public class LedgerException extends RuntimeException {
    private final ErrorKind kind;

    public LedgerException(ErrorKind kind, String detail) {
        super(detail);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static LedgerException invalid(String detail) {
        return new LedgerException(ErrorKind.INVALID, detail);
    }

    public static LedgerException notFound(String detail) {
        return new LedgerException(ErrorKind.NOT_FOUND, detail);
    }
}
