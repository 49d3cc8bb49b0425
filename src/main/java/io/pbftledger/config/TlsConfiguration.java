package io.pbftledger.config;

import io.pbftledger.chain.Membership;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.transport.PeerCertificateFilter;
import io.pbftledger.transport.PeerHttpClients;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Encryption in transit: with {@code ledger.tls.enabled}, the replica's calls to its peers use the
 * SSL bundle {@code ledger.tls.bundle} (its certificate for mutual TLS, the cluster CA as trust),
 * and its peer endpoints refuse requests without a replica certificate. Checked at startup: the
 * server must serve that bundle, and every membership URL must be https://.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LedgerTlsProperties.class, LedgerProperties.class})
public class TlsConfiguration {
    static final String SERVER_BUNDLE_PROPERTY = "server.ssl.bundle";

    @Bean
    PeerHttpClients peerHttpClients(LedgerTlsProperties tls, ObjectProvider<SslBundles> bundles, Membership membership,
                                    Environment environment, LedgerProperties props) {
        return peerClients(tls, bundles, membership, environment).http2(props.peer().http2());
    }

    private static PeerHttpClients peerClients(LedgerTlsProperties tls, ObjectProvider<SslBundles> bundles,
                                               Membership membership, Environment environment) {
        if (!tls.enabled()) {
            return PeerHttpClients.plain();
        }
        SslBundle bundle = bundle(tls, bundles);
        String served = environment.getProperty(SERVER_BUNDLE_PROPERTY);
        if (!tls.bundle().equals(served)) {
            throw new StartupCheckException("ledger.tls.enabled is true but " + SERVER_BUNDLE_PROPERTY + " is "
                    + (served == null ? "unset" : "'" + served + "'") + ", not the bundle '" + tls.bundle() + "'",
                    "set " + SERVER_BUNDLE_PROPERTY + "=" + tls.bundle() + " so the replica serves HTTPS with its certificate", null);
        }
        for (Membership.Replica replica : membership.replicas()) {
            if (!replica.url().startsWith("https://")) {
                throw new StartupCheckException("ledger.tls.enabled is true but replica " + replica.id() + "'s membership URL "
                        + replica.url() + " is not https://",
                        "use https:// URLs in membership.yml for a TLS cluster (keygen --tls writes them)", null);
            }
        }
        return PeerHttpClients.tls(bundle.createSslContext());
    }

    /** Peer endpoints admit only certificates of replicas (and, read-only, of clients the live registry lets read). */
    @Bean
    @ConditionalOnBooleanProperty("ledger.tls.enabled")
    FilterRegistrationBean<PeerCertificateFilter> peerCertificateFilter(Membership membership, ClientRegistry clients) {
        FilterRegistrationBean<PeerCertificateFilter> registration =
                new FilterRegistrationBean<>(new PeerCertificateFilter(membership, clients::current));
        registration.addUrlPatterns("/pbft/*");
        // before anything reads the body
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    private static SslBundle bundle(LedgerTlsProperties tls, ObjectProvider<SslBundles> bundles) {
        SslBundles registry = bundles.getIfAvailable();
        try {
            if (registry == null) {
                throw new NoSuchSslBundleException(tls.bundle(), "no SSL bundles are configured");
            }
            return registry.getBundle(tls.bundle());
        } catch (NoSuchSslBundleException e) {
            throw new StartupCheckException("ledger.tls.enabled is true but there is no SSL bundle '" + tls.bundle() + "'",
                    "configure spring.ssl.bundle.pem." + tls.bundle() + ".* (keygen --tls writes it into the replica yml)", e);
        }
    }
}
