package io.pbftledger.cli;

import io.pbftledger.chain.Membership;
import io.pbftledger.client.LedgerClient;
import io.pbftledger.client.LedgerClientException;
import io.pbftledger.client.VerifiedState;
import io.pbftledger.client.VerifiedTransaction;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** {@code client get}: fetches a transaction or a key's value with its proof and prints it only if the proof verifies. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Fetches a committed transaction (--tx) or a key's current value (--key) with its proof from a "
                + "replica and verifies the proof against the membership keys before printing: the commit certificate "
                + "(2f+1 replica signatures), the batch digest, the Merkle path and the block hash; for a key also the "
                + "replica's signed statement of the height it answers at.",
                "Exit codes: 0 verified, 1 not found, refused, unreachable or the proof does not verify, 2 bad usage, "
                        + "4 (--tx) the transaction was ordered but refused at execution (the reason is printed)."})
final class ClientGetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--membership", paramLabel = "FILE", required = true, description = "membership.yml of the cluster.")
    private Path membershipFile;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Subject subject;

    /** Exactly one of --tx and --key. */
    static final class Subject {
        @Option(names = "--tx", paramLabel = "ID", required = true, description = "txId (64 hex characters) of a committed transaction.")
        String txId;

        @Option(names = "--key", paramLabel = "K", required = true, description = "State key whose current value to read.")
        String key;
    }

    @Option(names = "--node", paramLabel = "URL", description = "Replica to ask (default: replica 0 of the membership).")
    private String node;

    @Option(names = "--identity", paramLabel = "FILE",
            description = "Client key file that signs the reads, for replicas whose reads are closed (ledger.api.reads=authenticated).")
    private Path identity;

    @Option(names = "--json", description = "Print the verified result as one line of JSON instead of lines.")
    private boolean json;

    @Mixin
    private TlsOptions tls = new TlsOptions();

    @Override
    public Integer call() {
        Membership membership = MembershipFile.load(membershipFile);
        String target = node != null ? node : membership.replica(0).url();
        ClientSubmitCommand.endpoint(target);
        LedgerClient.Builder builder = LedgerClient.builder(membership).node(target);
        if (identity != null) {
            builder.identity(KeyFiles.loadClientIdentity(identity));
        }
        tls.sslContext(membershipFile).ifPresent(builder::sslContext);
        try (LedgerClient ledger = builder.build()) {
            if (subject.txId != null) {
                VerifiedTransaction tx = ledger.getTransaction(subject.txId);
                if (tx.refused()) {
                    return reportRefusal(tx);
                }
                print(spec.commandLine().getOut(), transactionFields(tx));
            } else {
                print(spec.commandLine().getOut(), stateFields(ledger.getState(subject.key)));
            }
            return 0;
        } catch (LedgerClientException e) {
            throw new CliException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), CliErrors.EXIT_USAGE);
        }
    }

    /**
     * One line on stderr: the proof verified that it was ordered, and f+1 replicas signed that execution
     * refused it (the certificate does not cover the outcome).
     */
    private int reportRefusal(VerifiedTransaction v) {
        String signed = "signed by replicas " + v.confirmedBy();
        spec.commandLine().getErr().println(spec.qualifiedName() + ": transaction " + v.txId().hex()
                + " was ordered in block " + v.blockHeight() + " (proof verified) but refused at execution, it changed "
                + "nothing: " + v.refusal().kind() + ": " + CliErrors.oneLine(v.refusal().reason()) + " (" + signed + ")");
        spec.commandLine().getErr().flush();
        return ClientSubmitCommand.EXIT_REFUSED_AT_EXECUTION;
    }

    private static Map<String, Object> transactionFields(VerifiedTransaction v) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("txId", v.txId().hex());
        f.put("status", "COMMITTED");
        f.put("outcome", v.outcome().name());
        f.put("blockHeight", v.blockHeight());
        f.put("blockHash", v.blockHash().hex());
        f.put("index", v.index());
        f.put("clientId", v.transaction().clientId());
        f.put("nonce", v.transaction().nonce());
        if (v.transaction().key() != null) {
            f.put("key", v.transaction().key());
        }
        f.put("payload", new RawValue(v.transaction().payload()));
        f.put("verified", verifiedLine(v));
        return f;
    }

    private static Map<String, Object> stateFields(VerifiedState s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("key", s.key());
        f.put("value", new RawValue(s.value()));
        f.put("txId", s.writer().txId().hex());
        f.put("blockHeight", s.writer().blockHeight());
        f.put("blockHash", s.writer().blockHash().hex());
        f.put("answeredAtHeight", s.answeredAtHeight());
        f.put("answeredAtBlockHash", s.answeredAtBlockHash().hex());
        f.put("answeredBy", s.answeredBy());
        f.put("verified", verifiedLine(s.writer()) + "; replica " + s.answeredBy()
                + " alone signed that the value is current at height " + s.answeredAtHeight());
        return f;
    }

    private static String verifiedLine(VerifiedTransaction v) {
        return "commit certificate of replicas " + v.certifiedBy() + " (view " + v.view() + ", sequence " + v.sequence()
                + "), batch digest, Merkle path and block hash check against the membership keys"
                + (v.view() >= io.pbftledger.chain.ReplicaRoster.VIEWS_PER_EPOCH ? " and the replica sets proven from them (epoch "
                        + v.view() / io.pbftledger.chain.ReplicaRoster.VIEWS_PER_EPOCH + ")" : "") + "; replicas "
                + v.confirmedBy() + " signed this height, block hash and outcome";
    }

    private void print(PrintWriter out, Map<String, Object> fields) {
        if (json) {
            ObjectNode node = TransactionJson.JSON.createObjectNode();
            fields.forEach((name, value) -> {
                if (value instanceof RawValue raw) {
                    node.putRawValue(name, raw);
                } else if (value instanceof Number n) {
                    node.put(name, n.longValue());
                } else {
                    node.put(name, String.valueOf(value));
                }
            });
            out.println(TransactionJson.JSON.writeValueAsString(node));
        } else {
            fields.forEach((name, value) -> out.println(name + ": " + (value instanceof RawValue raw ? raw.rawValue() : value)));
        }
        out.flush();
    }
}
