package io.pbftledger.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The client membership store on an H2 file database with the production URL settings. */
class ClientMembershipStoreH2Test extends ClientMembershipStoreContract {
    private static final Path DATA_DIR = createDataDir();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:file:" + DATA_DIR.resolve("ledger") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        registry.add("spring.datasource.username", () -> "sa");
        registry.add("spring.datasource.password", () -> "");
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("ledger-h2-membership-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
