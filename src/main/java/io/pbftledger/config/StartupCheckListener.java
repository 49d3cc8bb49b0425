package io.pbftledger.config;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Binds and validates {@code ledger.*} and runs {@link StartupCheck} as soon as the environment is
 * ready, before any bean, database or port exists, so a misconfigured replica stops at once with
 * one message (range errors through Spring's bind-validation report, the rest through
 * {@link StartupCheckFailureAnalyzer}). The {@code node} command adds it to the replica's
 * SpringApplication; it is not in spring.factories because contexts that are not replicas (test
 * slices, tools) must not need replica files.
 */
public class StartupCheckListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    /** Late, so listeners that adjust ledger.* paths have run. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        LedgerProperties properties;
        try (ValidatorFactory validators = Validation.buildDefaultValidatorFactory()) {
            ValidationBindHandler validation = new ValidationBindHandler(new SpringValidatorAdapter(validators.getValidator()));
            properties = Binder.get(event.getEnvironment()).bindOrCreate("ledger", Bindable.of(LedgerProperties.class), validation);
        }
        StartupCheck.verify(properties);
        StartupCheck.checkDemoExposure(properties.demo().enabled(),
                event.getEnvironment().getProperty("ledger.tls.enabled", Boolean.class, false),
                event.getEnvironment().getProperty("server.address"));
        StartupCheck.checkClosedReads(event.getEnvironment().getProperty("ledger.api.reads"),
                event.getEnvironment().getProperty("ledger.tls.enabled", Boolean.class, false));
        StartupCheck.checkClosedReadsActuator(event.getEnvironment().getProperty("ledger.api.reads"),
                ActuatorOnApiPort.of(event.getEnvironment()));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
