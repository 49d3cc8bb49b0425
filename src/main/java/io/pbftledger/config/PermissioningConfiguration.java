package io.pbftledger.config;

import io.pbftledger.api.ApiProperties;
import io.pbftledger.api.CertificateReadAuthenticator;
import io.pbftledger.api.SignedReadAuthenticator;
import io.pbftledger.node.ClientRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Read authentication schemes for {@code ledger.api.reads=authenticated}. Each
 * {@link io.pbftledger.api.ReadAuthenticator} bean is one scheme, asked in order: signed-request
 * headers first (a per-request choice of identity), then, with TLS on, the client certificate of
 * the connection (which a browser sends on every request, and which is all the explorer has).
 */
@Configuration(proxyBeanMethods = false)
public class PermissioningConfiguration {

    @Bean
    @Order(1)
    SignedReadAuthenticator signedReadAuthenticator(ClientRegistry clients, ApiProperties api) {
        return new SignedReadAuthenticator(clients, System::currentTimeMillis, api.readTimestampSkewMs());
    }

    /**
     * Only with {@code ledger.tls.enabled}: then the server's trust store is the cluster CA
     * (keygen --tls), so a certificate that reached the application was issued by it.
     */
    @Bean
    @Order(2)
    @ConditionalOnBooleanProperty("ledger.tls.enabled")
    CertificateReadAuthenticator certificateReadAuthenticator(ClientRegistry clients) {
        return new CertificateReadAuthenticator(clients);
    }
}
