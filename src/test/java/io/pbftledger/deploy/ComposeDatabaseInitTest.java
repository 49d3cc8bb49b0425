package io.pbftledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pbftledger.testing.DeploymentTest;
import io.pbftledger.testing.PostgresTest;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docker/postgres/init-databases.sh, the compose file's PostgreSQL init script, run with psql
 * against a real server that checks passwords: replica i's role opens its own database with its own
 * password, and nothing else. Needs psql (the postgresql-client package); skips without it.
 */
@DeploymentTest
@PostgresTest
class ComposeDatabaseInitTest {
    private static final Path SCRIPT = Path.of("docker/postgres/init-databases.sh");
    private static final int REPLICAS = 4;
    private static final Map<String, String> PASSWORDS = new LinkedHashMap<>();

    @TempDir
    static Path work;

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgresAndRunTheInitScript() throws Exception {
        assumeTrue(onPath("psql"), "psql is not installed (apt-get install postgresql-client); skipping the init script checks");
        // password authentication for everyone but the superuser that runs the script
        Path hba = work.resolve("pg_hba.conf");
        Files.writeString(hba, """
                local all postgres trust
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
        postgres = EmbeddedPostgres.builder().setServerConfig("hba_file", hba.toString()).start();
        for (int i = 0; i < REPLICAS; i++) {
            PASSWORDS.put("LEDGER_DB_PASSWORD_" + i, "pw-" + i + "-" + UUID.randomUUID() + "'\"$");
        }
        Result result = runScript(Integer.toString(REPLICAS), PASSWORDS);
        assertThat(result.exitCode()).as("init-databases.sh: %s", result.output()).isZero();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void eachReplicaRoleOpensAndOwnsItsOwnDatabaseWithItsOwnPassword() throws SQLException {
        for (int i = 0; i < REPLICAS; i++) {
            try (Connection c = connect("ledger_" + i, "ledger_" + i, PASSWORDS.get("LEDGER_DB_PASSWORD_" + i));
                 Statement s = c.createStatement()) {
                // what Flyway does on the replica's first start
                s.execute("CREATE TABLE owned_by_replica (id int)");
                s.execute("DROP TABLE owned_by_replica");
            }
        }
    }

    @Test
    void aReplicaRoleCannotOpenAnotherReplicasDatabase() {
        assertThatThrownBy(() -> connect("ledger_1", "ledger_0", PASSWORDS.get("LEDGER_DB_PASSWORD_0")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for database");
    }

    @Test
    void anotherReplicasPasswordDoesNotOpenTheRole() {
        assertThatThrownBy(() -> connect("ledger_0", "ledger_0", PASSWORDS.get("LEDGER_DB_PASSWORD_1")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    }

    @Test
    void aMissingPasswordStopsTheScriptNamingTheVariable() throws Exception {
        Map<String, String> passwords = Map.of("LEDGER_DB_PASSWORD_0", "set");

        Result result = runScript("2", passwords);

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("LEDGER_DB_PASSWORD_1 is not set");
    }

    private static Connection connect(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database, user, password);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result runScript(String replicas, Map<String, String> passwords) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("sh", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("LEDGER_") || name.startsWith("PG"));
        env.put("POSTGRES_USER", "postgres");
        env.put("POSTGRES_DB", "postgres");
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(postgres.getPort()));
        env.put("LEDGER_REPLICAS", replicas);
        env.putAll(passwords);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("init-databases.sh finished").isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(java.io.File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }
}
