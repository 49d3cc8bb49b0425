package io.pbftledger.cli;

/** A failure the user can act on: its message is the one line printed on stderr. */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(String message) {
        this(message, CliErrors.EXIT_FAILURE);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = CliErrors.EXIT_FAILURE;
    }

    int exitCode() {
        return exitCode;
    }
}
