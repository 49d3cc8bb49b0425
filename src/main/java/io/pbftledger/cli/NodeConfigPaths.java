package io.pbftledger.cli;

import io.pbftledger.cli.tls.TlsReplicaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves the relative paths of a replica yml file against that file's directory, so
 * {@code node --config keys/replicas/replica-0.yml} works from any working directory. Only values
 * that come from that file are touched: a path given on the command line or in the environment
 * keeps the usual meaning (relative to the working directory).
 */
final class NodeConfigPaths implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {
    static final String PROPERTY_SOURCE_NAME = "pbftLedgerResolvedPaths";
    static final List<String> PATH_PROPERTIES = Stream.concat(
            Stream.of("ledger.membership-file", "ledger.key-file", "ledger.data-dir", "ledger.demo.identities-dir"),
            TlsReplicaSettings.PATH_PROPERTIES.stream()).toList();

    private final Path configFile;

    NodeConfigPaths(Path configFile) {
        this.configFile = configFile.toAbsolutePath().normalize();
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        resolve(event.getEnvironment());
    }

    void resolve(ConfigurableEnvironment environment) {
        Map<String, Object> resolved = new LinkedHashMap<>();
        for (String property : PATH_PROPERTIES) {
            ConfigurationProperty winner = winning(environment, ConfigurationPropertyName.of(property));
            String value = environment.getProperty(property);
            if (winner != null && value != null && !value.isBlank() && fromConfigFile(winner.getOrigin())) {
                resolved.put(property, configFile.getParent().resolve(value.strip()).normalize().toString());
            }
        }
        if (!resolved.isEmpty()) {
            environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, resolved));
        }
    }

    private static ConfigurationProperty winning(ConfigurableEnvironment environment, ConfigurationPropertyName name) {
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property;
            }
        }
        return null;
    }

    private boolean fromConfigFile(Origin origin) {
        for (Origin o = origin; o != null; o = o instanceof PropertySourceOrigin p && p.getOrigin() != null ? p.getOrigin() : o.getParent()) {
            if (o instanceof TextResourceOrigin text && text.getResource() != null && text.getResource().isFile()) {
                try {
                    return text.getResource().getFile().toPath().toAbsolutePath().normalize().equals(configFile);
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public int getOrder() {
        // before the startup check, which reads these paths
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
