package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.client.CommitConfirmation;
import io.pbftledger.client.LedgerClient;
import io.pbftledger.client.LedgerClientException;
import io.pbftledger.client.NotConfirmedException;
import io.pbftledger.client.SubmitOptions;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code client submit}: signs a transaction and sends it to a replica. With {@code --wait} it is a PBFT
 * client: it reports COMMITTED only when f+1 replicas signed matching confirmations (or a proof verified).
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Signs a transaction and POSTs it to /api/v1/transactions of a replica; prints txId and status.",
                "With --wait it sends to one replica, re-sends to all after --resend-after-ms, and reports COMMITTED only "
                        + "when f+1 replicas signed matching confirmations (txId, height, block hash) or one replica's "
                        + "proof verified against the membership keys.",
                "Exit codes: 0 accepted (or committed and executed with --wait), 1 refused or failed, 2 bad usage, "
                        + "3 --wait ended while still PENDING, 4 ordered but refused at execution (f+1 replicas signed "
                        + "the refusal; the reason is printed)."})
final class ClientSubmitCommand implements Callable<Integer> {
    static final int EXIT_STILL_PENDING = 3;
    /** The transaction was ordered into a block but execution refused it: it changed nothing. */
    static final int EXIT_REFUSED_AT_EXECUTION = 4;

    @Spec
    private CommandSpec spec;

    @Option(names = "--membership", paramLabel = "FILE", required = true, description = "membership.yml of the cluster.")
    private Path membershipFile;

    @Option(names = "--identity", paramLabel = "FILE", required = true,
            description = "Client key file (clients/client-<j>.key). A client not in --membership (added later by an admin) "
                    + "is accepted once f+1 replicas report its key in GET /api/v1/membership.")
    private Path identity;

    @Option(names = "--key", paramLabel = "K", description = "State key the transaction writes; none if omitted.")
    private String key;

    @Option(names = "--nonce", paramLabel = "N", description = "Nonce, 0..2^53-1 (default: current time in microseconds).")
    private Long nonce;

    @Option(names = "--payload", paramLabel = "JSON", required = true, description = "Payload, any JSON value.")
    private String payload;

    @Option(names = "--wait", description = "Wait until f+1 replicas confirmed the commit (or a proof verified) and print its block.")
    private boolean waitForCommit;

    @Option(names = "--node", paramLabel = "URL", description = "Replica to send to first (default: replica 0 of the membership).")
    private String node;

    @Option(names = "--json", description = "Print the replica's JSON answer instead of lines.")
    private boolean json;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "75",
            description = "With --wait: give up after this many seconds, 1..3600 (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Option(names = "--resend-after-ms", paramLabel = "MS", defaultValue = "2000",
            description = "With --wait: send to every replica when the first has not confirmed within this time, "
                    + "1..600000 (default: ${DEFAULT-VALUE}).")
    private long resendAfterMs;

    @Option(names = "--proof-after-ms", paramLabel = "MS", defaultValue = "5000",
            description = "With --wait: after this time without f+1 matching confirmations, ask the replicas that "
                    + "said COMMITTED for their proofs; a verified proof of the block f+1 replicas signed is shown, "
                    + "but a proof never replaces them (it proves the ordering, not the location or outcome), "
                    + "1..600000 (default: ${DEFAULT-VALUE}).")
    private long proofAfterMs;

    @Mixin
    private TlsOptions tls = new TlsOptions();

    @Override
    public Integer call() throws InterruptedException {
        SubmitOptions options = options();
        Membership membership = MembershipFile.load(membershipFile);
        ClientIdentity client = KeyFiles.loadClientIdentity(identity);
        checkChain(membership, client);
        String target = node != null ? node : membership.replica(0).url();
        endpoint(target);
        Transaction tx = client.sign(nonce != null ? nonce : TransactionJson.nonceNow(), key, payload);
        LedgerClient.Builder builder = LedgerClient.builder(membership).identity(client).node(target).options(options);
        tls.sslContext(membershipFile).ifPresent(builder::sslContext);
        try (LedgerClient ledger = builder.build()) {
            ledger.checkMembership();
            if (!waitForCommit) {
                LedgerClient.Accepted accepted = ledger.send(tx);
                if (!"COMMITTED".equals(accepted.status())) {
                    printAnswer(spec.commandLine().getOut(), accepted.json());
                    return 0;
                }
                // One replica's word is not enough to report COMMITTED: confirm it like --wait does.
            }
            CommitConfirmation done = ledger.submit(tx);
            if (done.refused()) {
                return reportRefusal(done);
            }
            print(spec.commandLine().getOut(), done, ledger.replicaSets().current());
            return 0;
        } catch (NotConfirmedException e) {
            if (!e.pending()) {
                throw new CliException(e.getMessage());
            }
            spec.commandLine().getErr().println(spec.qualifiedName() + ": still PENDING when the client stopped waiting ("
                    + e.getMessage() + "); look it up later with client get --tx " + tx.txId().hex());
            spec.commandLine().getErr().flush();
            return EXIT_STILL_PENDING;
        } catch (LedgerClientException e) {
            throw new CliException(e.getMessage(), e);
        }
    }

    private SubmitOptions options() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CliException("--timeout-seconds must be between 1 and 3600, got " + timeoutSeconds, CliErrors.EXIT_USAGE);
        }
        for (long ms : new long[] {resendAfterMs, proofAfterMs}) {
            if (ms < 1 || ms > 600_000) {
                throw new CliException("--resend-after-ms and --proof-after-ms must be between 1 and 600000, got " + ms,
                        CliErrors.EXIT_USAGE);
            }
        }
        return SubmitOptions.defaults().withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withResendAfter(Duration.ofMillis(resendAfterMs)).withProofAfter(Duration.ofMillis(proofAfterMs));
    }

    /**
     * Whether the identity is a member is checked by the client library: from the membership file, or
     * for a client an admin added later, from f+1 replicas' membership answers.
     */
    private void checkChain(Membership membership, ClientIdentity client) {
        if (!client.chainId().equals(membership.chainId())) {
            throw new CliException(identity + " is for chain " + client.chainId() + ", but " + membershipFile + " is chain " + membership.chainId());
        }
    }

    /** Checks that {@code base} is an http(s) URL (bad usage otherwise). */
    static URI endpoint(String base) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        URI uri;
        try {
            uri = URI.create(trimmed + "/api/v1/transactions");
        } catch (IllegalArgumentException e) {
            throw new CliException("--node '" + base + "' is not a valid URL", CliErrors.EXIT_USAGE);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new CliException("--node '" + base + "' must be an http(s) URL such as http://127.0.0.1:8080", CliErrors.EXIT_USAGE);
        }
        return uri;
    }

    /** One line on stderr naming the reason (and, with --json, the confirming answer on stdout). */
    private int reportRefusal(CommitConfirmation done) {
        if (json) {
            spec.commandLine().getOut().println(done.answerJson().strip());
            spec.commandLine().getOut().flush();
        }
        spec.commandLine().getErr().println(spec.qualifiedName() + ": " + refusalLine(done));
        spec.commandLine().getErr().flush();
        return EXIT_REFUSED_AT_EXECUTION;
    }

    static String refusalLine(CommitConfirmation done) {
        String by = "signed by replicas " + done.confirmedBy();
        return "transaction " + done.txId().hex() + " was ordered in block " + done.blockHeight()
                + " but refused at execution, it changed nothing: " + done.refusal().kind() + ": "
                + CliErrors.oneLine(done.refusal().reason()) + " (" + by + ")";
    }

    private void printAnswer(PrintWriter out, String answer) {
        if (json) {
            out.println(answer.strip());
        } else {
            JsonNode body = TransactionJson.JSON.readTree(answer);
            for (String field : new String[] {"txId", "status", "outcome", "blockHeight", "blockHash", "index"}) {
                if (body.hasNonNull(field)) {
                    out.println(field + ": " + body.get(field).asString());
                }
            }
        }
        out.flush();
    }

    /** {@code set}: the newest replica set the client proved, whose members' confirmations counted. */
    private void print(PrintWriter out, CommitConfirmation done, io.pbftledger.chain.ReplicaRoster.Epoch set) {
        if (json) {
            out.println(done.answerJson().strip());
            out.flush();
            return;
        }
        out.println("txId: " + done.txId().hex());
        out.println("status: COMMITTED");
        out.println("outcome: " + done.outcome());
        out.println("blockHeight: " + done.blockHeight());
        out.println("blockHash: " + done.blockHash().hex());
        if (done.index() != null) {
            out.println("index: " + done.index());
        }
        out.println("confirmations: " + done.confirmedBy().size() + " of " + set.n() + " replicas"
                + (set.number() == 0 ? "" : " (epoch " + set.number() + ")") + " signed this "
                + "location" + (done.confirmedBy().isEmpty() ? "" : " " + done.confirmedBy()) + "; f+1 = "
                + (set.quorums().f() + 1) + " needed");
        if (done.byProof()) {
            out.println("proof: verified from " + done.proof().source() + " (commit certificate by replicas "
                    + done.proof().certifiedBy() + "; it proves the ordering, the location and outcome are the "
                    + "confirmations')");
        }
        done.disbelieved().forEach((who, why) -> out.println("notBelieved: " + who + ": " + why));
        out.flush();
    }
}
