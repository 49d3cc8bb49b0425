package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** README's worked peer-request example is exactly what a replica sends, and what the receiver checks. */
class PeerRequestSignatureReadmeTest {
    private static final long NONCE = 1_767_225_600_000_000L;

    private static String readmeValue(String section, String label) {
        Matcher m = Pattern.compile("- " + Pattern.quote(label) + "[^`]*`([^`]+)`").matcher(section);
        assertThat(m.find()).as("README.md has the example's %s", label).isTrue();
        return m.group(1);
    }

    @Test
    void readmePeerRequestExampleMatchesTheSigner() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String section = readme.substring(readme.indexOf("## What a replica signs on a peer request"));
        List<Membership.Replica> replicas = new ArrayList<>();
        List<Ed25519.PrivateKey> keys = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] seed = new byte[32];
            Arrays.fill(seed, (byte) (0x10 + i));
            keys.add(Ed25519.PrivateKey.fromSeed(seed));
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (8080 + i), keys.get(i).publicKey()));
        }
        Membership membership = new Membership("demo-chain", replicas, List.of());
        byte[] clientSeed = new byte[32];
        for (int i = 0; i < 32; i++) {
            clientSeed[i] = (byte) (i + 1);
        }
        Transaction tx = Transaction.sign("demo-chain", "client-0", 42, "greeting", "{\"text\":\"hello\",\"count\":1}",
                Ed25519.PrivateKey.fromSeed(clientSeed));
        Commit commit = new Commit(1, 0, 1, BatchDigest.of(1_767_225_600_000L, List.of(tx.requestId())));
        Signed<Commit> signed = new Signed<>(commit,
                keys.get(1).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), commit)));
        byte[] body = MessageCodec.encodeAll(List.of(signed));
        byte[] signingBytes = PeerRequestSignature.signingBytes(Genesis.signingDomain(membership), 1, 0,
                PeerRequestKind.VOTES, body.length, Digest.sha256(body), NONCE);
        Map<String, String> headers = PeerRequestSigner.signing(keys.get(1), Genesis.signingDomain(membership), 1, 4,
                () -> NONCE).headers(0, PeerRequestKind.VOTES, body);

        assertThat(readmeValue(section, "peer request body")).isEqualTo(HexFormat.of().formatHex(body));
        assertThat(readmeValue(section, "peer request signed bytes")).isEqualTo(HexFormat.of().formatHex(signingBytes));
        assertThat(readmeValue(section, "peer request signature"))
                .isEqualTo(Base64.getEncoder().encodeToString(keys.get(1).sign(signingBytes)))
                .isEqualTo(headers.get(PeerRequestSignature.SIGNATURE_HEADER));
        assertThat(headers).containsEntry(PeerRequestSignature.SENDER_HEADER, "1")
                .containsEntry(PeerRequestSignature.KIND_HEADER, "votes")
                .containsEntry(PeerRequestSignature.NONCE_HEADER, Long.toString(NONCE))
                .containsEntry(PeerRequestSignature.BODY_SHA256_HEADER, Digest.sha256(body).hex());
        assertThat(new String(Arrays.copyOf(signingBytes, 27), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("pbft-ledger/peer-request/v1");
    }
}
