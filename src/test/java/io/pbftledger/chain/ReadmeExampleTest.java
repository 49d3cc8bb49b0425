package io.pbftledger.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
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
}
