package io.pbftledger.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StartupCheckException}, wherever it is in the cause chain, into Spring Boot's
 * short "APPLICATION FAILED TO START" report instead of a stack trace. Registered in
 * {@code META-INF/spring.factories}.
 */
public class StartupCheckFailureAnalyzer extends AbstractFailureAnalyzer<StartupCheckException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupCheckException cause) {
        return new FailureAnalysis("The replica configuration is not usable: " + cause.getMessage(), cause.action(), cause);
    }
}
