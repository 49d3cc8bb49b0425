package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code client submit}: signs a transaction and POSTs it to a replica, optionally waiting for its block. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Signs a transaction and POSTs it to /api/v1/transactions of a replica; prints txId and status.",
                "Exit codes: 0 accepted (or committed with --wait), 1 refused or failed, 2 bad usage, 3 --wait ended while still PENDING."})
final class ClientSubmitCommand implements Callable<Integer> {
    static final int EXIT_STILL_PENDING = 3;
    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** Longer than the server's longest wait (60 s) so the server, not this client, ends a wait. */
    static final Duration WAIT_TIMEOUT = Duration.ofSeconds(75);

    @Spec
    private CommandSpec spec;

    @Option(names = "--membership", paramLabel = "FILE", required = true, description = "membership.yml of the cluster.")
    private Path membershipFile;

    @Option(names = "--identity", paramLabel = "FILE", required = true, description = "Client key file (clients/client-<j>.key).")
    private Path identity;

    @Option(names = "--key", paramLabel = "K", description = "State key the transaction writes; none if omitted.")
    private String key;

    @Option(names = "--nonce", paramLabel = "N", description = "Nonce, 0..2^53-1 (default: current time in microseconds).")
    private Long nonce;

    @Option(names = "--payload", paramLabel = "JSON", required = true, description = "Payload, any JSON value.")
    private String payload;

    @Option(names = "--wait", description = "Wait until the transaction is committed and print its block.")
    private boolean waitForCommit;

    @Option(names = "--node", paramLabel = "URL", description = "Replica to send to (default: replica 0 of the membership).")
    private String node;

    @Option(names = "--json", description = "Print the replica's JSON answer instead of lines.")
    private boolean json;

    @Mixin
    private TlsOptions tls = new TlsOptions();

    @Override
    public Integer call() throws InterruptedException {
        Membership membership = MembershipFile.load(membershipFile);
        ClientIdentity client = KeyFiles.loadClientIdentity(identity);
        checkMember(membership, client);
        Transaction tx = client.sign(nonce != null ? nonce : TransactionJson.nonceNow(), key, payload);
        URI uri = endpoint(node != null ? node : membership.replica(0).url(), waitForCommit);
        LedgerHttp.Answer answer = new LedgerHttp(tls.sslContext(membershipFile)).postJson(uri, TransactionJson.body(tx), waitForCommit ? WAIT_TIMEOUT : TIMEOUT);
        String txId = text(answer.body(), "txId");
        if (!tx.txId().hex().equals(txId)) {
            throw new CliException("the replica answered txId " + txId + ", but this transaction's txId is " + tx.txId().hex());
        }
        print(spec.commandLine().getOut(), answer);
        String status = text(answer.body(), "status");
        if (waitForCommit && !"COMMITTED".equals(status)) {
            spec.commandLine().getErr().println(spec.qualifiedName() + ": still " + status + " when the replica stopped waiting; "
                    + "look it up later with GET /api/v1/transactions/" + txId);
            spec.commandLine().getErr().flush();
            return EXIT_STILL_PENDING;
        }
        return 0;
    }

    private void checkMember(Membership membership, ClientIdentity client) {
        if (!client.chainId().equals(membership.chainId())) {
            throw new CliException(identity + " is for chain " + client.chainId() + ", but " + membershipFile + " is chain " + membership.chainId());
        }
        Optional<Membership.Client> member = membership.client(client.clientId());
        if (member.isEmpty() || !member.get().publicKey().equals(client.privateKey().publicKey())) {
            throw new CliException(client.clientId() + " (" + identity + ") is not in " + membershipFile + " with that key");
        }
    }

    static URI endpoint(String base, boolean wait) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        URI uri;
        try {
            uri = URI.create(trimmed + "/api/v1/transactions" + (wait ? "?wait=true" : ""));
        } catch (IllegalArgumentException e) {
            throw new CliException("--node '" + base + "' is not a valid URL", CliErrors.EXIT_USAGE);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CliException("--node '" + base + "' must be an http(s) URL such as http://127.0.0.1:8080", CliErrors.EXIT_USAGE);
        }
        return uri;
    }

    private void print(PrintWriter out, LedgerHttp.Answer answer) {
        if (json) {
            out.println(answer.text().strip());
        } else {
            for (String field : new String[] {"txId", "status", "blockHeight", "blockHash", "index"}) {
                if (answer.body().hasNonNull(field)) {
                    out.println(field + ": " + text(answer.body(), field));
                }
            }
        }
        out.flush();
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
