package io.pbftledger.config;

import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The actuator endpoints besides health that the API port serves, as the environment configures
 * them: none when the actuator has a port of its own ({@code management.server.port} other than
 * {@code server.port}) or no web endpoints at all ({@code management.server.port=-1}); else those that
 * {@code management.endpoints.web.exposure.include} lists and {@code exclude} does not ("*" for all).
 * Health is left out: its groups serve the probes.
 *
 * @param endpoints endpoint ids, sorted
 */
public record ActuatorOnApiPort(Set<String> endpoints) {
    static final String EVERY_ENDPOINT = "*";
    private static final String HEALTH = "health";

    public ActuatorOnApiPort {
        endpoints = Set.copyOf(new TreeSet<>(endpoints));
    }

    public static ActuatorOnApiPort of(Environment environment) {
        if (ManagementPortType.get(environment) != ManagementPortType.SAME) {
            return new ActuatorOnApiPort(Set.of());
        }
        Binder binder = Binder.get(environment);
        Set<String> include = binder.bind("management.endpoints.web.exposure.include", Bindable.setOf(String.class))
                .orElse(Set.of(HEALTH));
        Set<String> exclude = binder.bind("management.endpoints.web.exposure.exclude", Bindable.setOf(String.class))
                .orElse(Set.of());
        if (exclude.contains(EVERY_ENDPOINT)) {
            return new ActuatorOnApiPort(Set.of());
        }
        if (include.contains(EVERY_ENDPOINT)) {
            return new ActuatorOnApiPort(Set.of(EVERY_ENDPOINT));
        }
        Set<String> served = new TreeSet<>();
        for (String id : include) {
            String endpoint = id.strip();
            if (!endpoint.isEmpty() && !endpoint.equals(HEALTH) && !exclude.contains(endpoint)) {
                served.add(endpoint);
            }
        }
        return new ActuatorOnApiPort(served);
    }

    /** For a message: "info, metrics, prometheus", or "every endpoint". */
    String describe() {
        return endpoints.contains(EVERY_ENDPOINT) ? "every endpoint" : String.join(", ", new TreeSet<>(endpoints));
    }
}
