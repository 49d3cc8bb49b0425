package io.pbftledger.cluster;

import static io.pbftledger.cluster.ClusterProbe.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.PbftLedgerCli;
import io.pbftledger.config.KeyFiles;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.testing.ProcessTest;
import io.pbftledger.transport.PeerRequestKind;
import io.pbftledger.transport.PeerRequestSigner;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Replica-set changes on real replica processes under load, in order on one cluster: replica 4 joins
 * by state transfer and then counts in a quorum while an original replica (3) is down; replica 0's key
 * is rotated and its old key signs nothing of the new epoch; replica 1 is removed while its process
 * keeps running; replica 3, down through both changes, comes back and catches up across them (the
 * newest set's checkpoint proofs hold fewer signatures than the set it last knew needs); and every
 * remaining replica ends with the same chain, valid under {@code verify} from the genesis membership.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ProcessTest
class ReplicaSetChangeClusterTest {
    private static final int K = 10;
    private static final List<String> SETTINGS = List.of("--ledger.checkpoint-interval=" + K,
            "--ledger.watermark-window=" + 2 * K, "--ledger.view-change-timeout-ms=3000",
            "--ledger.retransmit-interval-ms=300");
    /** The background load: bounded in count, and stopped after the last step. */
    private static final int LOAD_MAX_TRANSACTIONS = 20_000;
    private static final Duration STEP = Duration.ofSeconds(90);

    @TempDir
    static Path dir;
    private static LocalCluster cluster;
    private static ClusterProbe probe;
    private static Path membershipFile;
    private static Path adminKey;
    private static final AtomicBoolean loading = new AtomicBoolean(true);
    private static final AtomicLong submitted = new AtomicLong();
    private static Thread load;
    private static final List<Integer> down = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static long nonce = 1;

    @BeforeAll
    static void startClusterUnderLoad() throws Exception {
        cluster = LocalCluster.startWithSpares(dir, 4, 2, i -> SETTINGS, 1);
        probe = new ClusterProbe(cluster);
        membershipFile = dir.resolve("keys/membership.yml");
        adminKey = dir.resolve("keys/clients/client-0.key");
        ClientIdentity loader = cluster.clients.get(1);
        load = new Thread(() -> {
            long n = 1_000_000;
            while (loading.get() && submitted.get() < LOAD_MAX_TRANSACTIONS) {
                int target = List.of(2, 3, 0).stream().filter(r -> !down.contains(r)).findFirst().orElse(2);
                try {
                    probe.submit(target, loader.sign(n++, "load", "{\"n\":" + n + "}"), 0);
                    submitted.incrementAndGet();
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // a replica that is down or restarting: the next one is tried
                }
            }
        }, "load");
        load.setDaemon(true);
        load.start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        loading.set(false);
        if (load != null) {
            load.join(10_000);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PbftLedgerCli.newCommandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        assertThat(exit).as("pbft-ledger %s%nout: %s%nerr: %s", String.join(" ", args), out, err).isZero();
        return out.toString();
    }

    private static void commitThrough(int replica) throws Exception {
        Transaction tx = cluster.clients.get(0).sign(nonce++, "step", "{\"n\":" + nonce + "}");
        HttpResponse<String> r = probe.submit(replica, tx, 30_000);
        assertThat(r.statusCode()).as("commit through replica %d: %s%nlog:%n%s", replica, r.body(), cluster.log(replica))
                .isEqualTo(200);
    }

    private static JsonNode membership(int replica) throws Exception {
        return ClusterProbe.JSON.readTree(cluster.get(replica, "/api/v1/membership").body());
    }

    private static String inForceLine(String out) {
        return out.lines().filter(l -> l.startsWith("epoch: ")).findFirst().orElseThrow();
    }

    @Test
    @Order(1)
    void anAddedReplicaJoinsByStateTransferAndThenCountsInAQuorum() throws Exception {
        commitThrough(2);
        String url = cluster.url(4);
        cli("keygen", "--join", "--id", "4", "--url", url, "--membership", membershipFile.toString(),
                "--out", dir.resolve("keys").toString());
        Ed25519.PublicKey key = KeyFiles.loadReplicaKey(dir.resolve("keys/replicas/replica-4.key")).publicKey();
        cluster.launchJoining(4);
        String added = cli("admin", "replicas", "add", "--membership", membershipFile.toString(), "--identity",
                adminKey.toString(), "--id", "4", "--url", url, "--public-key", key.toBase64(), "--wait",
                "--node", cluster.url(2));
        assertThat(inForceLine(added)).isEqualTo("epoch: 1");
        assertThat(eventually(STEP, () -> membership(4).get("epoch").asLong() == 1
                && "NORMAL".equals(probe.consensus(4).get("status").asString())))
                .as("replica 4 caught up and is a member of epoch 1: %s%nlog:%n%s", probe.consensus(4), cluster.log(4))
                .isTrue();
        // Five replicas, quorum four: with replica 3 down, nothing commits unless replica 4 votes.
        // Replica 3 stays down through the next two changes.
        cluster.kill(3);
        down.add(3);
        commitThrough(2);
        JsonNode m = membership(2);
        assertThat(m.get("replicas")).hasSize(5);
        assertThat(m.get("replicas").get(4).get("sinceEpoch").asLong()).isEqualTo(1);
        for (int replica : List.of(0, 2)) {
            assertThat(cluster.logContains(replica, "peer limits sized for 5 replicas"))
                    .as("replica %d sized its peer limits for the set of 5", replica).isTrue();
        }
    }

    @Test
    @Order(2)
    void aRotatedKeySignsTheNewEpochAndTheOldKeyIsRefused() throws Exception {
        Path rotation = dir.resolve("rotation");
        cli("keygen", "--join", "--id", "0", "--url", cluster.url(0), "--membership", membershipFile.toString(),
                "--out", rotation.toString());
        Ed25519.PrivateKey oldKey = KeyFiles.loadReplicaKey(dir.resolve("keys/replicas/replica-0.key")).privateKey();
        Path newKeyFile = rotation.resolve("replicas/replica-0.key");
        Ed25519.PublicKey newKey = KeyFiles.loadReplicaKey(newKeyFile).publicKey();
        // The operator writes the new key file first, then submits the change.
        Files.copy(newKeyFile, dir.resolve("keys/replicas/replica-0.key"), StandardCopyOption.REPLACE_EXISTING);
        String rotated = cli("admin", "replicas", "rotate-key", "--membership", membershipFile.toString(), "--identity",
                adminKey.toString(), "--id", "0", "--public-key", newKey.toBase64(), "--wait", "--node", cluster.url(2));
        assertThat(inForceLine(rotated)).isEqualTo("epoch: 2");
        assertThat(eventually(STEP, () -> membership(0).get("epoch").asLong() == 2)).isTrue();
        commitThrough(0);

        // A thief of the old key signs a checkpoint of the new epoch and sends it to replica 2.
        Membership genesis = MembershipFile.load(membershipFile);
        long future = membership(2).get("epochFirstSequence").asLong() + 50L * K;
        Checkpoint forged = new Checkpoint(0, future, Digest.sha256(new byte[] {9}));
        Signed<Checkpoint> signed = new Signed<>(forged, oldKey.sign(MessageCodec.signingBytes(Genesis.signingDomain(genesis), forged)));
        long before = drops(2, "bad_signature");
        byte[] body = MessageCodec.encodeAll(List.of(signed));
        PeerRequestSigner headers = PeerRequestSigner.signing(oldKey, Genesis.signingDomain(genesis), 0,
                ReplicaRoster.REPLICAS_MAX);
        HttpResponse<String> r = null;
        // Replica 0 itself keeps sending with clock nonces: a request that lost that race is sent again.
        for (int attempt = 0; attempt < 20 && (r == null || r.body().contains("a replayed request")); attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url(2) + "/pbft/messages"))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Content-Type", "application/octet-stream");
            headers.headers(2, PeerRequestKind.of(List.of(signed)), body).forEach(request::header);
            r = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        assertThat(r.statusCode()).as(r.body()).isLessThan(300);
        assertThat(eventually(Duration.ofSeconds(10), () -> drops(2, "bad_signature") > before))
                .as("the old key's checkpoint was refused: %s", probe.consensus(2).get("droppedMessages")).isTrue();
    }

    private static long drops(int replica, String reason) throws Exception {
        JsonNode dropped = ClusterProbe.JSON.readTree(cluster.getAsAdmin(replica, "/api/v1/consensus").body())
                .get("droppedMessages");
        return dropped.has(reason) ? dropped.get(reason).asLong() : 0;
    }

    @Test
    @Order(3)
    void aRemovedReplicaKeepsRunningAndIsIgnored() throws Exception {
        String removed = cli("admin", "replicas", "remove", "--membership", membershipFile.toString(), "--identity",
                adminKey.toString(), "--id", "1", "--wait", "--node", cluster.url(2));
        assertThat(inForceLine(removed)).isEqualTo("epoch: 3");
        assertThat(eventually(STEP, () -> membership(2).get("epoch").asLong() == 3)).isTrue();
        List<Integer> ids = new ArrayList<>();
        membership(2).get("replicas").forEach(r -> ids.add(r.get("id").asInt()));
        assertThat(ids).containsExactly(0, 2, 3, 4);
        // Four replicas, quorum three: with replica 3 still down the others commit without replica 1.
        commitThrough(2);
        assertThat(cluster.alive(1)).as("the removed replica's process still runs").isTrue();
        // Replica 3 last knew epoch 1 (five replicas, quorum four); it catches up across epochs 2 and 3.
        cluster.restart(3);
        down.remove((Integer) 3);
        assertThat(eventually(STEP, () -> membership(3).get("epoch").asLong() == 3
                && "NORMAL".equals(probe.consensus(3).get("status").asString())))
                .as("replica 3 caught up to epoch 3: %s%nlog:%n%s", probe.consensus(3), cluster.log(3)).isTrue();
    }

    @Test
    @Order(4)
    void everyRemainingReplicaHoldsTheSameChainValidFromTheGenesisMembership() throws Exception {
        loading.set(false);
        load.join(10_000);
        commitThrough(2);
        long height = probe.height(2);
        assertThat(submitted.get()).as("transactions of the background load").isGreaterThan(100);
        for (int replica : List.of(0, 3, 4)) {
            assertThat(eventually(STEP, () -> probe.height(replica) >= height))
                    .as("replica %d reaches height %d: %s", replica, height, probe.consensus(replica)).isTrue();
        }
        List<String> reference = probe.hashes(2, height);
        for (int replica : List.of(0, 3, 4)) {
            assertThat(probe.hashes(replica, height)).as("replica %d's chain", replica).isEqualTo(reference);
            // the membership file fixes K (LocalCluster passes the tests' interval to keygen): verify reads it there
            String verified = cli("verify", "--membership", membershipFile.toString(), "--node", cluster.url(replica),
                    "--to", String.valueOf(height));
            assertThat(verified).startsWith("OK: " + height + " blocks verified");
        }
    }

    /**
     * A client that holds only the membership file (which still lists replica 1 and replica 0's old
     * key) learns the three epochs from their boundary checkpoints, submits to the newest set and
     * verifies a block of epoch 3: without the proven sets the certificate's view is of an epoch it
     * does not know and the proof is refused.
     */
    @Test
    @Order(5)
    void aClientThatTrustsOnlyTheGenesisMembershipProvesTheNewSetsAndVerifiesTheNewestBlocks() throws Exception {
        JsonNode inForce = membership(2);
        String rotatedKey = null;
        for (JsonNode r : inForce.get("replicas")) {
            if (r.get("id").asInt() == 0) {
                rotatedKey = r.get("publicKey").asString();
            }
        }
        io.pbftledger.chain.Membership genesis = io.pbftledger.config.MembershipFile.load(membershipFile);
        assertThat(genesis.replica(0).publicKey().toBase64()).isNotEqualTo(rotatedKey);
        String txId;
        try (io.pbftledger.client.LedgerClient client = io.pbftledger.client.LedgerClient.builder(genesis)
                .identity(cluster.clients.get(0)).node(cluster.url(2)).timeout(Duration.ofSeconds(60)).build()) {
            io.pbftledger.client.ReplicaSets sets = client.replicaSets();
            assertThat(sets.current().number()).isEqualTo(3);
            assertThat(sets.current().ids()).containsExactly(0, 2, 3, 4);
            assertThat(sets.key(0).orElseThrow().toBase64()).isEqualTo(rotatedKey);
            assertThat(sets.key(1)).as("the removed replica signs nothing that counts").isEmpty();

            io.pbftledger.client.CommitConfirmation done = client.submit("after-changes", "{\"epoch\":3}");
            txId = done.txId().hex();
            io.pbftledger.client.VerifiedTransaction proven = client.getTransaction(txId);
            assertThat(proven.view()).as("ordered in a view of epoch 3")
                    .isGreaterThanOrEqualTo(3 * io.pbftledger.chain.ReplicaRoster.VIEWS_PER_EPOCH);
            assertThat(proven.certifiedBy()).isSubsetOf(0, 2, 3, 4);
            assertThat(proven.confirmedBy()).isSubsetOf(0, 2, 3, 4).hasSizeGreaterThanOrEqualTo(2);
        }
        String got = cli("client", "get", "--membership", membershipFile.toString(), "--node", cluster.url(4),
                "--tx", txId, "--json");
        JsonNode verified = ClusterProbe.JSON.readTree(got);
        assertThat(verified.get("txId").asString()).isEqualTo(txId);
        assertThat(verified.get("verified").asString()).contains("the replica sets proven from them (epoch 3)");
    }
}
