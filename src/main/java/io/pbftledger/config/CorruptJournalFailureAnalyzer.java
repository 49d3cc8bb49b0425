package io.pbftledger.config;

import io.pbftledger.node.CorruptJournalException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link CorruptJournalException}, wherever it is in the cause chain, into Spring Boot's short
 * "APPLICATION FAILED TO START" report: the file, the byte offset and what the operator does next.
 * Registered in {@code META-INF/spring.factories}.
 */
public class CorruptJournalFailureAnalyzer extends AbstractFailureAnalyzer<CorruptJournalException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, CorruptJournalException cause) {
        return new FailureAnalysis("The replica will not start: " + cause.getMessage()
                + ". Replaying only the records before that offset could make it vote twice.",
                "Keep the replica stopped and keep a copy of " + cause.file() + ". Do not delete or truncate it "
                        + "and restart at once: follow \"Corrupt consensus journal\" in OPERATIONS.md.", cause);
    }
}
