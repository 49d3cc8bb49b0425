package io.pbftledger.config;

import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code ledger.tls.*} settings: whether this replica calls its peers over HTTPS with mutual
 * TLS and demands a replica certificate on its peer endpoints. The server side itself is Spring
 * Boot's {@code server.ssl.*} (keygen --tls writes both, see README "TLS"). Kept apart from
 * {@link LedgerProperties} so TLS stays one switch with one owner.
 *
 * @param enabled whether TLS is on (default false: plain HTTP for local development)
 * @param bundle  the Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>}) with this replica's
 *                certificate and key and the cluster CA as trust store
 */
@Validated
@ConfigurationProperties("ledger.tls")
public record LedgerTlsProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("ledger") @Pattern(regexp = "[A-Za-z0-9._-]{1,64}") String bundle) {
}
