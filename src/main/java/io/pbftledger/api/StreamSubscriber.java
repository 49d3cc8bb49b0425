package io.pbftledger.api;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open block stream: its own bounded queue of headers, written by at most one writer task at a
 * time, so a reader that stalls holds up only its own stream. The publisher never waits for it: it
 * offers a header (false when the queue is full), asks for a heartbeat (a comment line, written when
 * the queue is empty) and asks whether a write has taken too long.
 */
final class StreamSubscriber {
    /** The comment a heartbeat writes (":keep-alive"), which EventSource ignores. */
    static final String HEARTBEAT = "keep-alive";
    private final SseEmitter emitter;
    private final String client;
    private final BlockingQueue<BlockView> queue;
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean heartbeatDue = new AtomicBoolean();
    /** When the write in progress started (System.nanoTime), 0 while none is. */
    private volatile long writingSince;
    private volatile boolean closed;

    StreamSubscriber(SseEmitter emitter, String client, int queueMaxBlocks) {
        this.emitter = emitter;
        this.client = client;
        this.queue = new ArrayBlockingQueue<>(queueMaxBlocks);
    }

    SseEmitter emitter() {
        return emitter;
    }

    /** Who opened it: "client <id>" or "address <ip>". */
    String client() {
        return client;
    }

    /** Queues {@code header}; false when the reader is that far behind. */
    boolean offer(BlockView header) {
        return queue.offer(header);
    }

    /**
     * Asks for a comment line once the queue is written: on a stream without blocks it is the only
     * write, and the one that fails when the reader went away.
     */
    void heartbeat() {
        heartbeatDue.set(true);
    }

    /** Whether a write has been in progress for longer than {@code timeoutNanos}. */
    boolean stalled(long nowNanos, long timeoutNanos) {
        long since = writingSince;
        return since != 0 && nowNanos - since > timeoutNanos;
    }

    /** Claims the right to drain; true for exactly one caller until {@link #drain} gives it back. */
    boolean claim() {
        return draining.compareAndSet(false, true);
    }

    /** Ends the stream after the write in progress, if any; the next drain completes the emitter. */
    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Writes what is queued, and a heartbeat that is due, on a writer thread, after {@link #claim}. A
     * failed write (the client went away, or the container's write timeout hit a stalled reader) ends
     * the stream.
     */
    void drain() {
        do {
            BlockView next;
            while (!closed && (next = queue.poll()) != null) {
                if (!write(SseEmitter.event().name("block").id(String.valueOf(next.height()))
                        .data(next, MediaType.APPLICATION_JSON))) {
                    return;
                }
            }
            if (!closed && heartbeatDue.getAndSet(false) && !write(SseEmitter.event().comment(HEARTBEAT))) {
                return;
            }
            if (closed) {
                queue.clear();
                emitter.complete();
                return;
            }
            draining.set(false);
        } while ((!queue.isEmpty() || heartbeatDue.get()) && claim());
    }

    /** Sends {@code event}; false (and the stream ended) when that fails. */
    private boolean write(SseEmitter.SseEventBuilder event) {
        writingSince = Math.max(1, System.nanoTime());
        try {
            emitter.send(event);
            return true;
        } catch (IOException | IllegalStateException e) {
            closed = true;
            queue.clear();
            emitter.completeWithError(e);
            return false;
        } finally {
            writingSince = 0;
        }
    }
}
