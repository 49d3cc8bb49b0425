package io.pbftledger.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ObjLongConsumer;
import java.util.stream.Stream;

/**
 * Follows the blocks one replica commits and hands every txId in them, in chain order, to a
 * listener with the time it was seen. The server-sent block stream wakes it as soon as a block is
 * committed; it then reads each new height's transactions. Because the stream may drop events
 * (the server discards them for a slow subscriber) or end (after 10 minutes), it also polls the
 * newest height at least every {@link #POLL_INTERVAL_MS}, so no height is ever skipped. When the
 * followed replica fails to answer (crashed during a run) it follows the next one: every replica
 * stores the same blocks at the same heights.
 */
final class BlockFollower implements AutoCloseable {
    static final long POLL_INTERVAL_MS = 200;

    private final LedgerEndpoints endpoints;
    private final List<String> urls;
    /** Index in {@link #urls} of the replica followed now. */
    private volatile int current;
    private final ObjLongConsumer<String> listener;
    private final ErrorCounts errors;
    private final AtomicLong announcedHeight = new AtomicLong();
    private final Object wake = new Object();
    private final Thread reader;
    private volatile boolean closed;
    private volatile CompletableFuture<HttpResponse<Stream<String>>> stream;
    private long followedHeight;

    BlockFollower(LedgerEndpoints endpoints, List<String> urls, long fromHeight, ObjLongConsumer<String> listener,
                  ErrorCounts errors) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no replica to follow");
        }
        this.endpoints = endpoints;
        this.urls = List.copyOf(urls);
        this.listener = listener;
        this.errors = errors;
        this.followedHeight = fromHeight;
        this.reader = new Thread(this::follow, "bench-block-follower");
        this.reader.setDaemon(true);
    }

    void start() {
        openStream();
        reader.start();
    }

    private void openStream() {
        if (closed) {
            return;
        }
        CompletableFuture<HttpResponse<Stream<String>>> opened = endpoints.blockStream(baseUrl());
        stream = opened;
        opened.thenAcceptAsync(response -> {
            try (Stream<String> lines = response.body()) {
                lines.takeWhile(line -> !closed).forEach(this::onLine);
            }
        }).whenComplete((ignored, error) -> {
            // the stream ended (server timeout, replica restart) or failed: polling covers the gap
            if (!closed) {
                CompletableFuture.delayedExecutor(POLL_INTERVAL_MS, TimeUnit.MILLISECONDS).execute(this::openStream);
            }
        });
    }

    /** An SSE {@code id:} line carries the committed block's height. */
    private void onLine(String line) {
        if (line.startsWith("id:")) {
            try {
                announce(Long.parseLong(line.substring(3).strip()));
            } catch (NumberFormatException e) {
                // not a height: the poll finds the block anyway
            }
        }
    }

    private void announce(long height) {
        if (announcedHeight.accumulateAndGet(height, Math::max) > followedHeight) {
            synchronized (wake) {
                wake.notifyAll();
            }
        }
    }

    private void follow() {
        while (!closed) {
            try {
                synchronized (wake) {
                    if (announcedHeight.get() <= followedHeight) {
                        wake.wait(POLL_INTERVAL_MS);
                    }
                }
                String baseUrl = baseUrl();
                long target = Math.max(announcedHeight.get(), endpoints.latestHeight(baseUrl));
                announcedHeight.accumulateAndGet(target, Math::max);
                while (followedHeight < target && !closed) {
                    LedgerEndpoints.BlockTxIds block = LedgerEndpoints.join(endpoints.blockTransactions(baseUrl, followedHeight + 1));
                    long seen = System.nanoTime();
                    block.txIds().forEach(txId -> listener.accept(txId, seen));
                    followedHeight++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                errors.add("block follower " + ErrorCounts.kindOf(e));
                current = (current + 1) % urls.size(); // the stream reopens there too
                sleepQuietly();
            }
        }
    }

    private String baseUrl() {
        return urls.get(current);
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(POLL_INTERVAL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
        CompletableFuture<HttpResponse<Stream<String>>> open = stream;
        if (open != null) {
            open.thenAccept(response -> response.body().close());
        }
    }
}
