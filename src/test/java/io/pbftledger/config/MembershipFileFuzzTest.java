package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pbftledger.chain.Membership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the membership loader: any file content either loads into a membership that writes back
 * to a file loading to the same membership, or is refused with a {@link MembershipFileException}
 * whose message is one line naming the file. Regression mode replays
 * {@code MembershipFileFuzzTestInputs}; fuzz with {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=MembershipFileFuzzTest}.
 */
class MembershipFileFuzzTest {
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("membership-fuzz");
    }

    @AfterAll
    static void deleteDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void anyFileLoadsToAMembershipThatRoundTripsOrIsRefusedInOneLine(byte[] content) {
        Path file = dir.resolve("membership.yml");
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Membership membership;
        try {
            membership = MembershipFile.load(file);
        } catch (MembershipFileException e) {
            assertThat(e.getMessage()).startsWith(file.toString()).doesNotContain("\n");
            return;
        }
        Path again = dir.resolve("again.yml");
        MembershipFile.write(again, membership);
        Membership reloaded = MembershipFile.load(again);
        assertThat(reloaded.chainId()).isEqualTo(membership.chainId());
        assertThat(reloaded.replicas()).isEqualTo(membership.replicas());
        assertThat(reloaded.clients()).isEqualTo(membership.clients());
    }
}
