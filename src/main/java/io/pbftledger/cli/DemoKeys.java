package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import io.pbftledger.cli.tls.TlsAuthority;
import io.pbftledger.config.MembershipFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/** The demo's keys: generated into {@code <data-dir>/keys} on the first start, reused (and checked) after. */
final class DemoKeys {
    private DemoKeys() {
    }

    /** Whether the membership in {@code keysDir} was reused (true) or generated (false), and the membership. */
    record Prepared(Membership membership, boolean reused) {
    }

    static Prepared prepare(Path keysDir, List<String> replicaUrls, int clients) {
        return prepare(keysDir, replicaUrls, clients, false);
    }

    /** As {@link #prepare(Path, List, int)}; with {@code tls} new keys include the TLS files (the URLs must be https://). */
    static Prepared prepare(Path keysDir, List<String> replicaUrls, int clients, boolean tls) {
        Path membershipFile = ClusterKeys.membershipFile(keysDir);
        if (!Files.exists(membershipFile)) {
            String chainId = ClusterKeys.randomChainId("pbft-demo-", new SecureRandom());
            ClusterKeys.Plan plan = new ClusterKeys.Plan(chainId, replicaUrls, clients, tls, TlsAuthority.DEFAULT_VALIDITY);
            Membership generated = ClusterKeys.generate(keysDir, plan, false, new SecureRandom());
            return new Prepared(generated, false);
        }
        Membership existing = MembershipFile.load(membershipFile);
        List<String> existingUrls = existing.replicas().stream().map(Membership.Replica::url).toList();
        if (!existingUrls.equals(replicaUrls)) {
            throw new CliException(membershipFile + " is for replicas " + existingUrls + ", not " + replicaUrls
                    + "; pass the --replicas/--base-port it was made with, or use another --data-dir");
        }
        return new Prepared(existing, true);
    }
}
