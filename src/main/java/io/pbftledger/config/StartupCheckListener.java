package io.pbftledger.config;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Runs {@link StartupCheck} as soon as the environment is ready, before any bean, database or
 * port exists, so a misconfigured replica stops at once with one message. The {@code node}
 * command adds it to the replica's SpringApplication; it is not in spring.factories because
 * contexts that are not replicas (test slices, tools) must not need replica files.
 */
public class StartupCheckListener implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    /** Late, so listeners that adjust ledger.* paths have run. */
    public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        LedgerProperties properties = Binder.get(event.getEnvironment()).bindOrCreate("ledger", LedgerProperties.class);
        StartupCheck.verify(properties);
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
