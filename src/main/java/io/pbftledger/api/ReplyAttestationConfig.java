package io.pbftledger.api;

import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import java.util.Locale;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The signer of this replica's committed answers. */
@Configuration(proxyBeanMethods = false)
public class ReplyAttestationConfig {
    static final String WRONG_REPLIES = "wrong-replies";

    /**
     * The fault mode is read from the environment rather than from the config package's fault bean, so
     * that api does not depend on config (config wires everything, api included, and must stay above it).
     */
    @Bean
    ReplyAttestor replyAttestor(Membership membership, Ed25519.PrivateKey replicaKey, Environment environment) {
        boolean faulty = environment.getProperty("ledger.fault-injection.enabled", Boolean.class, false);
        String mode = environment.getProperty("ledger.fault-injection.mode", "");
        boolean lies = faulty && WRONG_REPLIES.equals(mode.strip().toLowerCase(Locale.ROOT).replace('_', '-'));
        Integer replicaId = environment.getProperty("ledger.replica-id", Integer.class);
        // The configured id: a replica that joined, or whose key was rotated, is not found by its key in the file.
        return replicaId != null ? new ReplyAttestor(membership.chainId(), replicaId, replicaKey, lies)
                : new ReplyAttestor(membership, replicaKey, lies);
    }
}
