package io.pbftledger.hostile;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the requests with a few concurrent connections, each request its {@code copies} times in a
 * row, checks every answer ({@link AnswerCheck}) and tallies it. A request that gets no answer at
 * all is a violation too. Returns the tally once all were answered or {@code timeoutMs} passed.
 */
public final class HostileRun {
    private final RawHttps http;
    private final int connections;

    public HostileRun(RawHttps http, int connections) {
        this.http = http;
        this.connections = connections;
    }

    public Tally run(List<HostileRequest> requests, long timeoutMs) throws InterruptedException {
        Tally tally = new Tally();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < connections; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < requests.size() && !Thread.currentThread().isInterrupted();
                         i = next.getAndIncrement()) {
                        send(requests.get(i), tally);
                    }
                }));
            }
            pool.shutdown();
            if (!pool.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                throw new IllegalStateException("the hostile run did not finish in " + timeoutMs + " ms; "
                        + tally.requests() + " requests answered");
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a sender failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return tally;
    }

    private void send(HostileRequest request, Tally tally) {
        for (int copy = 0; copy < request.copies(); copy++) {
            long start = System.nanoTime();
            try {
                Answer answer = http.send(request);
                tally.record(request, answer.status(), AnswerCheck.violations(request, answer), System.nanoTime() - start);
            } catch (IOException | RuntimeException e) {
                tally.record(request, -1, List.of("no answer: " + e), System.nanoTime() - start);
            }
        }
    }
}
