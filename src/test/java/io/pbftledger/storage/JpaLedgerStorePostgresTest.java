package io.pbftledger.storage;

import io.pbftledger.testing.PostgresTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store on a real PostgreSQL server (embedded binaries, started once for this class), with the
 * driver setting of the {@code postgres} profile: JDBC batches of inserts sent as multi-row inserts.
 * (ClientMembershipStorePostgresTest runs without it.)
 */
@PostgresTest
class JpaLedgerStorePostgresTest extends JpaLedgerStoreContract {
    private static final EmbeddedPostgres POSTGRES = startPostgres();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "");
        registry.add("spring.datasource.hikari.data-source-properties.reWriteBatchedInserts", () -> "true");
    }

    private static EmbeddedPostgres startPostgres() {
        try {
            return EmbeddedPostgres.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
