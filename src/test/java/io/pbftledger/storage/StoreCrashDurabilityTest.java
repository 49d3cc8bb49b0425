package io.pbftledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pbftledger.testing.ProcessTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica killed with SIGKILL right after an append returned must find that block (and every
 * earlier one) when it restarts, and no block only half written. The writer is a real child JVM
 * ({@link CrashingAppender}) on an H2 file database with the production URL settings.
 */
@ProcessTest
class StoreCrashDurabilityTest {
    private static final int KILL_AFTER_COMMITS = 25;
    private static final long CHILD_OUTPUT_WAIT_MS = 40_000;
    private static final String END_OF_OUTPUT = "\u0000end";

    @TempDir
    Path dataDir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyBlockReportedCommittedSurvivesASigkillAndNoBlockIsHalfWritten() throws Exception {
        Process child = startChild();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = readLines(child, lines);
        List<Long> printed = new ArrayList<>();
        try {
            awaitCommits(child, lines, printed);
        } finally {
            // On Linux destroyForcibly sends SIGKILL: no shutdown hooks, no H2 close.
            child.destroyForcibly();
        }
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child ended").isTrue();
        assertThat(child.exitValue()).as("killed, not finished").isEqualTo(137);
        reader.join(5_000);
        drainCommits(lines, printed);

        try (Connection db = DriverManager.getConnection(
                "jdbc:h2:file:" + dataDir.resolve("ledger") + ";IFEXISTS=TRUE", "sa", "")) {
            List<Long> stored = longs(db, "select height from blocks order by height");
            assertThat(stored).as("stored heights").containsAll(printed);
            assertThat(stored).as("no gaps").hasSize((int) (stored.get(stored.size() - 1) + 1));
            assertThat(longs(db, "select b.height from blocks b where b.transaction_count <>"
                    + " (select count(*) from transactions t where t.block_height = b.height)"))
                    .as("blocks with missing transactions").isEmpty();
            assertThat(longs(db, "select b.height from blocks b where b.height > 0 and 3 <>"
                    + " (select count(*) from commit_signatures s where s.block_height = b.height)"))
                    .as("blocks with an incomplete certificate").isEmpty();
            assertThat(longs(db, "select max(block_height) from world_state"))
                    .as("world state is that of the last stored block").containsExactly(stored.get(stored.size() - 1));
        }
    }

    private Process startChild() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CrashingAppender.class.getName(), dataDir.toString())
                .redirectError(dataDir.resolve("child-stderr.log").toFile())
                .start();
    }

    private static Thread readLines(Process child, BlockingQueue<String> lines) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
            lines.add(END_OF_OUTPUT);
        }, "crash-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void awaitCommits(Process child, BlockingQueue<String> lines, List<Long> printed) throws Exception {
        long deadline = System.currentTimeMillis() + CHILD_OUTPUT_WAIT_MS;
        List<String> other = new ArrayList<>();
        while (printed.size() < KILL_AFTER_COMMITS) {
            String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (line == null || line.equals(END_OF_OUTPUT)) {
                fail("child printed " + printed.size() + " commits before " + (line == null ? "the deadline" : "exiting")
                        + "; other output " + other + "; stderr: " + stderr());
            }
            if (line.startsWith(CrashingAppender.COMMITTED)) {
                printed.add(Long.parseLong(line.substring(CrashingAppender.COMMITTED.length())));
            } else if (other.size() < 50) {
                other.add(line);
            }
        }
    }

    private static void drainCommits(BlockingQueue<String> lines, List<Long> printed) {
        for (String line = lines.poll(); line != null; line = lines.poll()) {
            if (line.startsWith(CrashingAppender.COMMITTED)) {
                printed.add(Long.parseLong(line.substring(CrashingAppender.COMMITTED.length())));
            }
        }
    }

    private String stderr() throws IOException {
        String all = Files.readString(dataDir.resolve("child-stderr.log"));
        return all.length() <= 4000 ? all : all.substring(all.length() - 4000);
    }

    private static List<Long> longs(Connection db, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
