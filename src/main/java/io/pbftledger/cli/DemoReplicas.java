package io.pbftledger.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The demo's child replica processes: starts them, forwards their output with a
 * {@code [replica-i]} prefix, reports any that exits while the demo runs, and stops them all.
 */
final class DemoReplicas {
    static final long STOP_GRACE_SECONDS = 15;

    private final PrintWriter out;
    private final List<Process> processes = new ArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();

    DemoReplicas(PrintWriter out) {
        this.out = out;
    }

    /** Starts replica {@code id} with {@code command}; its stdout and stderr go to {@link #out} prefixed. */
    void start(int id, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CliException("cannot start replica " + id + ": " + e.getMessage(), e);
        }
        processes.add(process);
        Thread pump = new Thread(() -> forward(id, process), "demo-replica-" + id + "-output");
        pump.setDaemon(true);
        pump.start();
        process.onExit().thenAccept(p -> {
            if (!stopping.get()) {
                print("[demo] replica " + id + " exited with code " + p.exitValue());
            }
        });
    }

    Process process(int id) {
        return processes.get(id);
    }

    int size() {
        return processes.size();
    }

    /** Blocks until every replica has exited. */
    void awaitAll() {
        CompletableFuture.allOf(processes.stream().map(Process::onExit).toArray(CompletableFuture[]::new)).join();
    }

    boolean isStopping() {
        return stopping.get();
    }

    /** Asks every replica to stop (SIGTERM, so Spring shuts down cleanly), then kills those that linger. */
    void stopAll() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void forward(int id, Process process) {
        String prefix = "[replica-" + id + "] ";
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                print(prefix + line);
            }
        } catch (IOException e) {
            // the process is gone; its exit is reported by onExit
        }
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
