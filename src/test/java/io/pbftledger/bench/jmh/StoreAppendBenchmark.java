package io.pbftledger.bench.jmh;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.storage.JpaLedgerStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/**
 * Storing executed blocks ({@link JpaLedgerStore#append}, {@link JpaLedgerStore#appendAll}), per
 * transaction: blocks of 100 and 1,000, and groups of five blocks of 100 in one call or five, of
 * bench-shaped transactions ({@link BenchChain}: 256-byte payloads, each writing one of 1,024 state
 * keys, so after the first blocks every write updates a world-state row), each call its own
 * committed database transaction, on a chain that grows through the run.
 *
 * <p>The store runs in a Spring context of its own with the replica's settings (application.yml:
 * Flyway, Hibernate validation, JDBC batch 500) on either database:
 * <ul>
 *   <li>{@code h2}: an H2 file database with the default URL ({@code WRITE_DELAY=0}), in a fresh
 *       temporary directory per trial;</li>
 *   <li>{@code postgres}: an embedded PostgreSQL 17 server through the {@code postgres} profile
 *       (application-postgres.yml: {@code reWriteBatchedInserts}), with {@code synchronous_commit=on}
 *       as a production server has (the embedded server's default is off, which would not wait for
 *       the WAL flush at commit).</li>
 * </ul>
 * Each block is built (executed) before its invocation is timed; a trial ends by checking that every
 * timed append was stored. Every iteration also prints the CPU time per stored transaction
 * ({@link StoreCpu}): {@code STORE-CPU measured client <µs> server <µs>}, the calling thread's inside
 * the timed calls (with H2 that includes the database) and PostgreSQL's processes'.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreAppendBenchmark {
    @Param({"h2", "postgres"})
    public String database;

    private Path dataDir;
    private EmbeddedPostgres postgres;
    private ConfigurableApplicationContext context;
    private JpaLedgerStore store;
    private BenchChain chain;
    private long appendedTransactions;
    private StoreCpu cpu;
    /** CPU time of the calling thread inside the timed store calls, and what the iteration started from. */
    private long clientCpuNanos;
    private long iterationClientCpu;
    private long iterationServerCpu;
    private long iterationTransactions;

    /** Only auto-configuration (DataSource, Flyway, JPA) and the store with its repositories. */
    @EnableAutoConfiguration
    @Import(JpaLedgerStore.class)
    @EntityScan(basePackageClasses = JpaLedgerStore.class)
    @EnableJpaRepositories(basePackageClasses = JpaLedgerStore.class)
    static class StorageOnly {
    }

    @Setup(Level.Trial)
    public void startStore() throws IOException {
        dataDir = Files.createTempDirectory("store-append-bench");
        List<String> args = new java.util.ArrayList<>(List.of(
                "--spring.main.banner-mode=off",
                "--logging.level.root=WARN",
                // Only the store runs here: the replica's consensus health contributor does not exist.
                "--management.endpoint.health.validate-group-membership=false",
                "--ledger.data-dir=" + dataDir));
        switch (database) {
            case "h2" -> { } // application.yml's URL under ledger.data-dir
            case "postgres" -> {
                postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("pg"))
                        .setCleanDataDirectory(true).setServerConfig("synchronous_commit", "on").start();
                args.addAll(List.of("--spring.profiles.active=postgres",
                        "--LEDGER_DB_URL=" + postgres.getJdbcUrl("postgres", "postgres"),
                        "--LEDGER_DB_USER=postgres", "--LEDGER_DB_PASSWORD="));
            }
            default -> throw new IllegalArgumentException("database is h2 or postgres, not " + database);
        }
        SpringApplication app = new SpringApplication(StorageOnly.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        context = app.run(args.toArray(String[]::new));
        store = context.getBean(JpaLedgerStore.class);
        chain = new BenchChain();
        store.initialize(chain.genesis());
        appendedTransactions = 0;
        cpu = new StoreCpu(postgres == null ? 0 : StoreCpu.postmasterPid(dataDir.resolve("pg")));
    }

    @Setup(Level.Iteration)
    public void startCpuAccount() {
        iterationClientCpu = clientCpuNanos;
        iterationServerCpu = cpu.serverNanos();
        iterationTransactions = appendedTransactions;
    }

    /** Prints the iteration's CPU time per stored transaction: {@code STORE-CPU <kind> client <µs> server <µs>}. */
    @TearDown(Level.Iteration)
    public void reportCpu(IterationParams iteration) {
        double transactions = Math.max(1, appendedTransactions - iterationTransactions);
        System.out.printf(Locale.ROOT, "STORE-CPU %s client %.1f server %.1f us/tx over %d transactions%n",
                iteration.getType() == IterationType.MEASUREMENT ? "measured" : "warmup",
                (clientCpuNanos - iterationClientCpu) / 1e3 / transactions,
                (cpu.serverNanos() - iterationServerCpu) / 1e3 / transactions,
                appendedTransactions - iterationTransactions);
    }

    @TearDown(Level.Trial)
    public void checkEverythingWasStoredAndStop() throws IOException {
        try {
            long stored = 0;
            BlockHeader tip = store.latestHeader();
            for (long from = 1; from <= tip.height(); from += JpaLedgerStore.RANGE_MAX_BLOCKS) {
                long to = Math.min(tip.height(), from + JpaLedgerStore.RANGE_MAX_BLOCKS - 1);
                stored += store.volumesBetween(from, to).values().stream().mapToLong(v -> v.transactions()).sum();
            }
            if (stored != appendedTransactions) {
                throw new IllegalStateException("appended " + appendedTransactions + " transactions, the store holds " + stored);
            }
        } finally {
            context.close();
            if (postgres != null) {
                postgres.close();
            }
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** The next block of 100 transactions on the stored tip, built before the invocation is timed. */
    @State(Scope.Thread)
    public static class Next100 {
        ExecutedBlock block;

        @Setup(Level.Invocation)
        public void build(StoreAppendBenchmark bench) {
            block = bench.chain.next(bench.store.latestHeader(), 100);
        }
    }

    /** The next block of 1,000 transactions on the stored tip. */
    @State(Scope.Thread)
    public static class Next1000 {
        ExecutedBlock block;

        @Setup(Level.Invocation)
        public void build(StoreAppendBenchmark bench) {
            block = bench.chain.next(bench.store.latestHeader(), 1000);
        }
    }

    /** The next five blocks of 100 transactions each on the stored tip. */
    @State(Scope.Thread)
    public static class Next5x100 {
        List<ExecutedBlock> blocks;

        @Setup(Level.Invocation)
        public void build(StoreAppendBenchmark bench) {
            blocks = bench.chain.next(bench.store.latestHeader(), 5, 100);
        }
    }

    @Benchmark
    @OperationsPerInvocation(100)
    public void append100(Next100 next) {
        long start = cpu.threadNanos();
        store.append(next.block);
        clientCpuNanos += cpu.threadNanos() - start;
        appendedTransactions += 100;
    }

    @Benchmark
    @OperationsPerInvocation(1000)
    public void append1000(Next1000 next) {
        long start = cpu.threadNanos();
        store.append(next.block);
        clientCpuNanos += cpu.threadNanos() - start;
        appendedTransactions += 1000;
    }

    /** Five blocks of 100 in one database transaction. */
    @Benchmark
    @OperationsPerInvocation(500)
    public void appendAll5x100(Next5x100 next) {
        long start = cpu.threadNanos();
        store.appendAll(next.blocks);
        clientCpuNanos += cpu.threadNanos() - start;
        appendedTransactions += 500;
    }

    /** The same five blocks, each its own append (and transaction): what {@code appendAll5x100} saves. */
    @Benchmark
    @OperationsPerInvocation(500)
    public void append5x100(Next5x100 next) {
        long start = cpu.threadNanos();
        for (ExecutedBlock block : next.blocks) {
            store.append(block);
        }
        clientCpuNanos += cpu.threadNanos() - start;
        appendedTransactions += 500;
    }
}
