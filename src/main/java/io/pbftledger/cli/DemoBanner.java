package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import io.pbftledger.cli.tls.TlsFiles;
import java.io.PrintWriter;
import java.nio.file.Path;

/** What the demo prints once every replica is healthy: where to look and a request to try. */
final class DemoBanner {
    private DemoBanner() {
    }

    static void print(PrintWriter out, Membership membership, Path keys) {
        String first = membership.replica(0).url();
        // curl needs the cluster CA to trust a TLS demo's replicas
        String curl = first.startsWith("https://") ? "curl -s --cacert " + TlsFiles.caCertificate(keys) : "curl -s";
        StringBuilder b = new StringBuilder();
        b.append('\n').append("=== pbft-ledger demo is up: chain ").append(membership.chainId())
                .append(", ").append(membership.n()).append(" replicas (tolerates f = ").append(membership.f()).append(" faulty) ===\n");
        for (Membership.Replica r : membership.replicas()) {
            b.append("  replica ").append(r.id()).append("  ").append(r.url()).append('\n');
        }
        b.append("Swagger UI:  ").append(first).append("/swagger-ui/index.html\n");
        b.append("Explorer:    ").append(first).append("/explorer\n");
        b.append("Submit a transaction (the demo signs it with client-1) and wait for its block:\n");
        b.append("  ").append(curl).append(" -X POST ").append(first).append("/api/v1/demo/sign -H 'Content-Type: application/json' \\\n")
                .append("       -d '{\"key\":\"greeting\",\"payload\":{\"hello\":\"world\"}}' \\\n")
                .append("  | ").append(curl).append(" -X POST '").append(first).append("/api/v1/transactions?wait=true' -H 'Content-Type: application/json' -d @-\n");
        b.append("Or sign locally with the CLI:\n");
        b.append("  ").append(ChildJvm.invocation()).append(" client submit --membership ").append(ClusterKeys.membershipFile(keys))
                .append(" --identity ").append(ClusterKeys.clientKeyFile(keys, 0))
                .append(" --key greeting --payload '{\"hello\":\"world\"}' --wait\n");
        b.append("Stop the cluster with Ctrl-C.\n");
        synchronized (out) {
            out.print(b);
            out.flush();
        }
    }
}
