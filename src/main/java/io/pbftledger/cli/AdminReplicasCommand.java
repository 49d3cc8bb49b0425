package io.pbftledger.cli;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.Transaction;
import io.pbftledger.client.CommitConfirmation;
import io.pbftledger.client.LedgerClient;
import io.pbftledger.client.LedgerClientException;
import io.pbftledger.client.NotConfirmedException;
import io.pbftledger.client.SubmitOptions;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.crypto.Ed25519;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code admin replicas add|remove|rotate-key|set-url}: signs a replica-set change (a transaction on
 * {@code ledger:replicas}) with an admin's key and submits it; with {@code --wait}, returns once the
 * change is in force (its checkpoint executed) and prints the epoch it started and its block.
 */
@Command(name = "replicas", mixinStandardHelpOptions = true,
        description = {"Adds, removes, re-keys or moves a replica with a signed ledger:replicas transaction.",
                "A change ordered in block h takes effect after the first checkpoint at or above h's sequence (a new "
                        + "epoch); one change at a time.",
                "Exit codes: 0 submitted (in force with --wait), 1 refused or failed, 2 bad usage, 3 --wait ended "
                        + "before the change took effect, 4 ordered but refused at execution."},
        subcommands = {AdminReplicasCommand.Add.class, AdminReplicasCommand.Remove.class,
                AdminReplicasCommand.RotateKey.class, AdminReplicasCommand.SetUrl.class})
final class AdminReplicasCommand {
    private AdminReplicasCommand() {
    }

    /** What every change takes: the cluster, the admin, the replica, and how to wait. */
    abstract static class Change implements Callable<Integer> {
        private static final Duration POLL = Duration.ofMillis(250);

        @Spec
        CommandSpec spec;

        @Option(names = "--membership", paramLabel = "FILE", required = true, description = "membership.yml of the cluster.")
        Path membershipFile;

        @Option(names = "--identity", paramLabel = "FILE", required = true,
                description = "Key file of an admin client (clients/client-<j>.key).")
        Path identity;

        @Option(names = "--id", paramLabel = "I", required = true, description = "The replica's id, 0..99.")
        int replicaId;

        @Option(names = "--wait", description = "Wait until the change is in force and print its epoch and block.")
        boolean waitForEffect;

        @Option(names = "--node", paramLabel = "URL",
                description = "Replica to send to (default: the first replica of the membership file).")
        String node;

        @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "120",
                description = "With --wait: give up after this many seconds, 1..3600 (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Mixin
        TlsOptions tls = new TlsOptions();

        /** The change, from the options; a {@link LedgerException} for a value that cannot be one. */
        abstract ReplicaOp op();

        static Ed25519.PublicKey publicKey(String base64) {
            try {
                return Ed25519.PublicKey.fromBase64(base64);
            } catch (IllegalArgumentException e) {
                throw new CliException("--public-key is not a base64 Ed25519 public key of 32 bytes: " + e.getMessage(),
                        CliErrors.EXIT_USAGE);
            }
        }

        @Override
        public Integer call() throws InterruptedException {
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new CliException("--timeout-seconds must be between 1 and 3600, got " + timeoutSeconds,
                        CliErrors.EXIT_USAGE);
            }
            String payload;
            try {
                // Parsed back as a replica would: a bad URL or id is bad usage here, not a refusal there.
                payload = ReplicaOp.parse(op().toJson()).toJson();
            } catch (LedgerException e) {
                throw new CliException(e.getMessage(), CliErrors.EXIT_USAGE);
            }
            Membership membership = MembershipFile.load(membershipFile);
            ClientIdentity admin = KeyFiles.loadClientIdentity(identity);
            if (!admin.chainId().equals(membership.chainId())) {
                throw new CliException(identity + " is for chain " + admin.chainId() + ", but " + membershipFile
                        + " is chain " + membership.chainId());
            }
            String target = node != null ? node : membership.replica(0).url();
            ClientSubmitCommand.endpoint(target);
            Transaction tx = admin.sign(TransactionJson.nonceNow(), ReplicaOp.KEY, payload);
            Duration timeout = Duration.ofSeconds(timeoutSeconds);
            LedgerClient.Builder builder = LedgerClient.builder(membership).identity(admin).node(target)
                    .options(SubmitOptions.defaults().withTimeout(timeout));
            tls.sslContext(membershipFile).ifPresent(builder::sslContext);
            PrintWriter out = spec.commandLine().getOut();
            try (LedgerClient ledger = builder.build()) {
                if (!waitForEffect) {
                    LedgerClient.Accepted accepted = ledger.send(tx);
                    out.println("txId: " + accepted.txId().hex());
                    out.println("status: " + accepted.status());
                    out.flush();
                    return 0;
                }
                long deadline = System.nanoTime() + timeout.toNanos();
                CommitConfirmation done = ledger.submit(tx);
                if (done.refused()) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": " + ClientSubmitCommand.refusalLine(done));
                    spec.commandLine().getErr().flush();
                    return ClientSubmitCommand.EXIT_REFUSED_AT_EXECUTION;
                }
                out.println("txId: " + tx.txId().hex());
                out.println("blockHeight: " + done.blockHeight());
                out.flush();
                return awaitInForce(new LedgerHttp(tls.sslContext(membershipFile)), admin, target, tx, deadline);
            } catch (NotConfirmedException e) {
                if (!e.pending()) {
                    throw new CliException(e.getMessage());
                }
                spec.commandLine().getErr().println(spec.qualifiedName() + ": still PENDING when the client stopped "
                        + "waiting (" + e.getMessage() + "); look it up later with client get --tx " + tx.txId().hex());
                spec.commandLine().getErr().flush();
                return ClientSubmitCommand.EXIT_STILL_PENDING;
            } catch (LedgerClientException e) {
                throw new CliException(e.getMessage(), e);
            }
        }

        /** Polls the replica's replica-set history until the change of {@code tx} is in force there. */
        private int awaitInForce(LedgerHttp http, ClientIdentity admin, String target, Transaction tx, long deadline)
                throws InterruptedException {
            String path = "/api/v1/membership/history";
            URI uri = URI.create((target.endsWith("/") ? target.substring(0, target.length() - 1) : target) + path);
            while (true) {
                long now = System.currentTimeMillis();
                JsonNode history = http.getJson(uri, Map.of(
                        ReadRequestSignature.CLIENT_HEADER, admin.clientId(),
                        ReadRequestSignature.TIMESTAMP_HEADER, Long.toString(now),
                        ReadRequestSignature.SIGNATURE_HEADER, ReadRequestSignature.sign(admin, "GET", path, now)),
                        Duration.ofSeconds(30)).body();
                for (JsonNode change : history.get("changes")) {
                    if (tx.txId().hex().equals(change.get("txId").asString()) && change.get("inForce").asBoolean()) {
                        PrintWriter out = spec.commandLine().getOut();
                        out.println("epoch: " + change.get("epoch").asLong());
                        out.println("inForceFromSequence: " + (change.get("checkpoint").asLong() + 1));
                        out.println("status: IN_FORCE");
                        out.flush();
                        return 0;
                    }
                }
                if (System.nanoTime() > deadline) {
                    spec.commandLine().getErr().println(spec.qualifiedName() + ": the change of " + tx.txId().hex()
                            + " committed but was not in force on " + target + " when the client stopped waiting; "
                            + "it takes effect when ordering reaches its checkpoint (see GET " + path + ")");
                    spec.commandLine().getErr().flush();
                    return ClientSubmitCommand.EXIT_STILL_PENDING;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Adds a replica under a free id.")
    static final class Add extends Change {
        @Option(names = "--url", paramLabel = "URL", required = true, description = "Its base URL, http(s)://host:port.")
        String url;

        @Option(names = "--public-key", paramLabel = "B64", required = true, description = "Its Ed25519 public key, base64.")
        String publicKey;

        @Override
        ReplicaOp op() {
            return new ReplicaOp.Add(replicaId, url, publicKey(publicKey));
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Removes a replica; at least 4 must remain. Its messages count for nothing from the next epoch on.")
    static final class Remove extends Change {
        @Override
        ReplicaOp op() {
            return new ReplicaOp.Remove(replicaId);
        }
    }

    @Command(name = "rotate-key", mixinStandardHelpOptions = true,
            description = {"Gives a replica a new key; its old key is refused from the next epoch on.",
                    "Write the new key to the replica's key file first (keygen --join --id I ... writes one): the "
                            + "replica reads it when it executes the change."})
    static final class RotateKey extends Change {
        @Option(names = "--public-key", paramLabel = "B64", required = true, description = "The new Ed25519 public key, base64.")
        String publicKey;

        @Override
        ReplicaOp op() {
            return new ReplicaOp.RotateKey(replicaId, publicKey(publicKey));
        }
    }

    @Command(name = "set-url", mixinStandardHelpOptions = true, description = "Moves a replica to a new base URL.")
    static final class SetUrl extends Change {
        @Option(names = "--url", paramLabel = "URL", required = true, description = "Its new base URL, http(s)://host:port.")
        String url;

        @Override
        ReplicaOp op() {
            return new ReplicaOp.SetUrl(replicaId, url);
        }
    }
}
