package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Private keys never end up in a commit by accident: keygen's output directory and key files are ignored. */
class GitIgnoreTest {
    @Test
    void keyDirectoriesAndKeyFilesAreIgnored() throws Exception {
        List<String> patterns = Files.readAllLines(Path.of(".gitignore")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();

        assertThat(patterns).as("the README examples' keygen --out ./keys").contains("keys/");
        assertThat(patterns).as("replica, client and TLS private keys (replica-<i>.key, client-<j>.key, tls/*.key)")
                .contains("*.key");
        assertThat(patterns).as("nothing re-includes a key file").noneMatch(p -> p.startsWith("!") && p.contains("key"));
    }
}
