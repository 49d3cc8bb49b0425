package io.pbftledger.bench.jmh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent storing, beside the wall-clock time JMH measures: on a machine shared with other
 * work, wall-clock figures move with the load, CPU time much less. The calling thread's CPU time
 * covers the JDBC driver, the store and (for H2, which runs in the caller's thread) the database;
 * for PostgreSQL the server's processes (the postmaster and its children: backends, WAL writer,
 * checkpointer, autovacuum) are read from {@code /proc}.
 */
final class StoreCpu {
    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common architecture. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long postmasterPid;

    /** @param postmasterPid the PostgreSQL server's process id, or 0 when the database runs in this JVM */
    StoreCpu(long postmasterPid) {
        this.postmasterPid = postmasterPid;
    }

    /** The process id in a PostgreSQL data directory's {@code postmaster.pid}. */
    static long postmasterPid(Path dataDirectory) {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long threadNanos() {
        return threads.getCurrentThreadCpuTime();
    }

    /** User and system CPU time of the server's processes so far, 0 without a server. */
    long serverNanos() {
        if (postmasterPid == 0) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    ticks += serverTicks(proc.resolve("stat"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks * NANOS_PER_TICK;
    }

    /** utime + stime of one process when it is the server or one of its children, else 0. */
    private long serverTicks(Path stat) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return 0; // the process ended meanwhile
        }
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long pid = Long.parseLong(line.substring(0, line.indexOf(' ')));
        long parent = Long.parseLong(fields[1]);
        if (pid != postmasterPid && parent != postmasterPid) {
            return 0;
        }
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
