package io.pbftledger.storage;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Transaction;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;

/**
 * The child JVM of {@link StoreCrashDurabilityTest}: opens an H2 file database with the production
 * URL settings, appends blocks and prints {@code COMMITTED <height>} after each append returns,
 * until the test kills it. It stops by itself after {@link #MAX_BLOCKS} blocks or
 * {@link #MAX_RUN_MS} so that it never outlives a test that died.
 */
public final class CrashingAppender {
    static final String COMMITTED = "COMMITTED ";
    static final String CHAIN_ID = "crash-test";
    static final int TRANSACTIONS_PER_BLOCK = 10;
    static final int MAX_BLOCKS = 5_000;
    static final long MAX_RUN_MS = 60_000;

    private CrashingAppender() {
    }

    /**
     * Only auto-configuration (DataSource, Flyway, JPA, repositories of this package) and the store.
     * Deliberately not a {@code @Configuration}: component scans of the application must not find it.
     */
    @EnableAutoConfiguration
    @Import(JpaLedgerStore.class)
    static class StorageOnly {
    }

    /** @param args the data directory */
    public static void main(String[] args) {
        String dataDir = args[0];
        SpringApplication app = new SpringApplication(StorageOnly.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        // Command-line properties outrank any application.yml on the class path.
        try (ConfigurableApplicationContext context = app.run(
                "--spring.datasource.url=jdbc:h2:file:" + dataDir + "/ledger;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                "--spring.datasource.username=sa",
                "--spring.datasource.password=",
                "--spring.jpa.hibernate.ddl-auto=validate",
                "--spring.jpa.open-in-view=false",
                "--spring.jpa.properties.hibernate.jdbc.batch_size=500",
                "--spring.jpa.properties.hibernate.order_inserts=true",
                "--spring.jpa.properties.hibernate.order_updates=true",
                "--spring.main.banner-mode=off",
                // Only the store runs here: the replica's consensus health contributor does not exist.
                "--management.endpoint.health.validate-group-membership=false",
                "--logging.level.root=WARN")) {
            appendUntilKilled(context.getBean(JpaLedgerStore.class));
        }
    }

    private static void appendUntilKilled(JpaLedgerStore store) {
        LedgerFixture fixture = new LedgerFixture(CHAIN_ID);
        ClientIdentity alice = fixture.alice();
        store.initialize(fixture.genesis());
        BlockHeader tip = store.latestHeader();
        long deadline = System.currentTimeMillis() + MAX_RUN_MS;
        long nonce = 0;
        for (int i = 0; i < MAX_BLOCKS && System.currentTimeMillis() < deadline; i++) {
            List<Transaction> txs = new ArrayList<>(TRANSACTIONS_PER_BLOCK);
            for (int j = 0; j < TRANSACTIONS_PER_BLOCK; j++) {
                nonce++;
                txs.add(alice.sign(nonce, "key-" + j, "{\"nonce\":" + nonce + "}"));
            }
            ExecutedBlock block = fixture.next(tip, txs);
            store.append(block);
            tip = block.block().header();
            System.out.println(COMMITTED + tip.height());
            System.out.flush();
        }
    }
}
