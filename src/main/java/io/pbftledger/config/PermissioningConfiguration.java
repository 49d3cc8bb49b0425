package io.pbftledger.config;

import io.pbftledger.api.ApiProperties;
import io.pbftledger.api.SignedReadAuthenticator;
import io.pbftledger.node.ClientRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Read authentication schemes for {@code ledger.api.reads=authenticated}. Each
 * {@link io.pbftledger.api.ReadAuthenticator} bean is one scheme; a client-certificate scheme for
 * mutual TLS is added here as a second bean.
 */
@Configuration(proxyBeanMethods = false)
public class PermissioningConfiguration {

    @Bean
    SignedReadAuthenticator signedReadAuthenticator(ClientRegistry clients, ApiProperties api) {
        return new SignedReadAuthenticator(clients, System::currentTimeMillis, api.readTimestampSkewMs());
    }
}
