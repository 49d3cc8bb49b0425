package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The worked signing example in README.md is exactly what the code produces. */
class ReadmeExampleTest {

    private static String readmeValue(String readme, String label) {
        Matcher m = Pattern.compile("- " + Pattern.quote(label) + "[^`]*`([^`]+)`").matcher(readme);
        assertThat(m.find()).as("README.md has the example's %s", label).isTrue();
        return m.group(1);
    }

    @Test
    void readmeWorkedExampleMatchesTheCanonicalEncoding() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (i + 1);
        }
        Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(seed);
        Transaction tx = Transaction.sign("demo-chain", "client-0", 42, "greeting", "{\"text\":\"hello\",\"count\":1}", key);

        assertThat(readmeValue(readme, "private key")).isEqualTo(key.toBase64());
        assertThat(readmeValue(readme, "public key")).isEqualTo(key.publicKey().toBase64());
        assertThat(readmeValue(readme, "signed bytes")).isEqualTo(HexFormat.of().formatHex(tx.signingBytes()));
        assertThat(readmeValue(readme, "signature")).isEqualTo(tx.signatureBase64());
        assertThat(readmeValue(readme, "txId")).isEqualTo(tx.txId().hex());
        assertThat(readmeValue(readme, "request id")).isEqualTo(tx.requestId().hex());
        assertThat(readme).contains("\"signature\":\"" + tx.signatureBase64() + "\"");
    }

    /**
     * The replica-signing example: a client in another language that follows README's layout (genesis
     * hash from the membership, domain tag, header, fields) reproduces the bytes and checks the signature.
     */
    @Test
    void readmeReplicaSigningExampleMatchesTheCodec() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## What a replica signs"));
        List<Membership.Replica> replicas = new ArrayList<>();
        List<Ed25519.PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (0x10 + i));
            keys.add(Ed25519.PrivateKey.fromSeed(seed));
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (8080 + i), keys.get(i).publicKey()));
            assertThat(section).contains("`" + keys.get(i).publicKey().toBase64() + "`");
        }
        Membership membership = new Membership("demo-chain", replicas, List.of());
        Block genesis = Genesis.of(membership);
        Transaction tx = Transaction.sign("demo-chain", "client-0", 42, "greeting", "{\"text\":\"hello\",\"count\":1}",
                exampleClientKey());
        Digest batchDigest = BatchDigest.of(1_767_225_600_000L, List.of(tx.requestId()));
        Commit commit = new Commit(1, 0, 1, batchDigest);
        byte[] signingBytes = MessageCodec.signingBytes(Genesis.signingDomain(membership), commit);
        byte[] signature = Base64.getDecoder().decode(readmeValue(section, "COMMIT signature of replica 1"));

        assertThat(readmeValue(section, "genesis batchDigest")).isEqualTo(genesis.header().batchDigest().hex());
        assertThat(readmeValue(section, "genesis hash")).isEqualTo(genesis.hash().hex());
        assertThat(readmeValue(section, "block batchDigest")).isEqualTo(batchDigest.hex());
        assertThat(readmeValue(section, "COMMIT of replica 1")).isEqualTo(HexFormat.of().formatHex(signingBytes));
        assertThat(signature).isEqualTo(keys.get(1).sign(signingBytes));
        assertThat(new ChainVerifier(membership).certificateProblem(
                new BlockHeader(1, genesis.hash(), 1_767_225_600_000L, 0, 1, 0, batchDigest, Digest.ZERO, Digest.ZERO, 1),
                List.of(new Signed<>(commit, signature), ReplicaSignatures.sign(Genesis.signingDomain(membership), keys.get(0),
                        new Commit(0, 0, 1, batchDigest)), ReplicaSignatures.sign(Genesis.signingDomain(membership), keys.get(2),
                        new Commit(2, 0, 1, batchDigest))))).isEmpty();
    }

    private static Ed25519.PrivateKey exampleClientKey() {
        byte[] seed = new byte[32];
        for (int i = 0; i < 32; i++) {
            seed[i] = (byte) (i + 1);
        }
        return Ed25519.PrivateKey.fromSeed(seed);
    }
}
