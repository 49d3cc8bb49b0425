package io.pbftledger.config;

import java.nio.file.Path;

/**
 * A membership file ({@code membership.yml}) or one of the key files that go with it is missing,
 * unreadable or malformed. The message is one line that names the file and the problem, so the CLI
 * and the startup check can show it as is.
 */
public class MembershipFileException extends RuntimeException {
    private final transient Path file;

    public MembershipFileException(Path file, String problem) {
        this(file, problem, null);
    }

    public MembershipFileException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
