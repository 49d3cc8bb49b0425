package io.pbftledger.config;

/** A replica setting is missing or inconsistent; the message is one line naming the setting and the problem. */
public class StartupCheckException extends RuntimeException {
    private final String action;

    public StartupCheckException(String message, String action, Throwable cause) {
        super(message, cause);
        this.action = action;
    }

    /** What the operator should do about it. */
    public String action() {
        return action;
    }
}
