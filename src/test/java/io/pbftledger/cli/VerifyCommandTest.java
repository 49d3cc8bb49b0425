package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.MembershipFile;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} against a replica stand-in that serves /pbft/blocks from a chain the test controls. */
class VerifyCommandTest {
    @TempDir
    Path dir;

    private final SecureRandom random = new SecureRandom();
    private final List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
    private Ed25519.PrivateKey clientKey;
    private Membership membership;
    private final List<Block> chain = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void chainOfFiveBlocks() throws Exception {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(random);
            replicaKeys.add(k);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), k.publicKey()));
        }
        clientKey = Ed25519.PrivateKey.generate(random);
        membership = new Membership("audited", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
        MembershipFile.write(dir.resolve("membership.yml"), membership);
        Block genesis = Genesis.of(membership);
        chain.add(genesis);
        BlockHeader previous = genesis.header();
        for (long seq = 1; seq <= 5; seq++) {
            Transaction tx = Transaction.sign("audited", "alice", seq, "k", "{\"seq\":" + seq + "}", clientKey);
            Digest digest = BatchDigest.of(1000 + seq, List.of(tx.requestId()));
            List<Signed<Commit>> cert = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Commit c = new Commit(r, 0, seq, digest);
                cert.add(new Signed<>(c, replicaKeys.get(r).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), c))));
            }
            Block block = BlockExecutor.execute(previous, new OrderedBatch(0, seq, 1000 + seq, 0, digest,
                    List.of(tx.toRequest()), cert)).block();
            chain.add(block);
            previous = block.header();
        }
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(List<Block> served) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/pbft/blocks", exchange -> {
            Map<String, String> q = new HashMap<>();
            for (String kv : exchange.getRequestURI().getQuery().split("&")) {
                String[] p = kv.split("=");
                q.put(p[0], p[1]);
            }
            long from = Long.parseLong(q.get("from"));
            int limit = Integer.parseInt(q.get("limit"));
            List<Block> page = served.stream().filter(b -> b.height() >= from).limit(limit).toList();
            byte[] body = BlockCodec.encode(page);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private CliRun verify(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("verify", "--membership", dir.resolve("membership.yml").toString(),
                "--node", url));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void anIntactChainVerifiesWithExitZero() throws Exception {
        String url = serve(chain);
        CliRun run = verify(url);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("OK: 5 blocks verified (heights 1..5)");

        CliRun part = verify(url, "--from", "3", "--to", "4");
        assertThat(part.exitCode()).isZero();
        assertThat(part.out()).contains("OK: 2 blocks verified (heights 3..4)");
    }

    @Test
    void aTamperedTransactionIsReportedAsTheFirstBadBlockWithExitOne() throws Exception {
        List<Block> tampered = new ArrayList<>(chain);
        Block honest = chain.get(3);
        Transaction changed = Transaction.sign("audited", "alice", 3, "k", "{\"seq\":333}", clientKey);
        tampered.set(3, new Block(honest.header(), honest.hash(), List.of(changed), honest.certificate()));
        CliRun run = verify(serve(tampered));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("INVALID block 3:").contains("checked 2 blocks before it");
    }

    @Test
    void aChainOfAnotherClusterFailsAtGenesisAndAnUnreachableNodeIsOneLine() throws Exception {
        List<Block> foreign = new ArrayList<>(chain);
        List<Membership.Replica> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.add(new Membership.Replica(i, "http://x", Ed25519.PrivateKey.generate(random).publicKey()));
        }
        foreign.set(0, Genesis.of(new Membership("audited", others, List.of())));
        CliRun run = verify(serve(foreign));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("genesis block is not this membership's");

        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        server.stop(0);
        server = null;
        CliRun down = verify(url);
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.errLines()).singleElement().asString().contains("cannot reach");
    }
}
