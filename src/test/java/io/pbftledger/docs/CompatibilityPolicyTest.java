package io.pbftledger.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.pbft.message.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The license and the compatibility policy are what they say: LICENSE is the Apache License 2.0
 * text the pom declares, and OPERATIONS.md's table of versioned formats names the versions the code
 * writes and every Flyway migration there is, so the table cannot drift from the code.
 */
class CompatibilityPolicyTest {
    /** SHA-256 of the Apache License 2.0 text as the Apache Software Foundation distributes it. */
    private static final String APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    private static String operations() throws IOException {
        return Files.readString(Path.of("OPERATIONS.md"));
    }

    private static String row(String text, String format) {
        Matcher m = Pattern.compile("(?m)^\\| " + Pattern.quote(format) + " \\|(.*)$").matcher(text);
        assertThat(m.find()).as("OPERATIONS.md's compatibility table has a row for %s", format).isTrue();
        return m.group(1);
    }

    @Test
    void theLicenseIsTheApacheLicense2TextThePomDeclares() throws IOException, NoSuchAlgorithmException {
        byte[] license = Files.readAllBytes(Path.of("LICENSE"));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(license))).isEqualTo(APACHE_2_SHA256);
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<name>Apache-2.0</name>");
        assertThat(Files.readString(Path.of("README.md"))).contains("## License", "Apache License 2.0");
    }

    @Test
    void theTableOfVersionedFormatsNamesTheVersionsTheCodeWrites() throws IOException {
        String ops = operations();
        assertThat(row(ops, "peer messages (wire)")).contains("u8 version " + MessageCodec.PROTOCOL_VERSION);
        assertThat(row(ops, "block header")).contains("`" + BlockHeader.MAGIC + "`, u8 version " + BlockHeader.VERSION);
        assertThat(row(ops, "checkpoint digest")).contains("u8 version " + CheckpointDigest.VERSION);
    }

    @Test
    void theTableNamesEveryFlywayMigration() throws IOException {
        List<String> versions;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            versions = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(0, n.indexOf("__"))).sorted((a, b) -> Integer.compare(
                            Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)))).toList();
        }
        assertThat(versions).isNotEmpty();
        assertThat(row(operations(), "database schema"))
                .contains("`" + versions.get(0) + "`..`" + versions.get(versions.size() - 1) + "`");
    }
}
