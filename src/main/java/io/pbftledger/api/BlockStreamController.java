package io.pbftledger.api;


import io.pbftledger.chain.Block;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.node.RateLimitedException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.pbftledger.web.TrustedProxies;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feed of committed block headers as server-sent events. It is also a block listener
 * (NodeConfiguration hands every {@code Consumer<Block>} bean each committed block): listeners run on
 * the consensus thread, so the block is only handed to a publisher thread here, and a slow subscriber
 * can never hold up consensus.
 *
 * <p>Bounded in every direction: at most {@link #MAX_SUBSCRIBERS} streams, and
 * {@link #MAX_SUBSCRIBERS_PER_CLIENT} per client (the authenticated client when reads are closed,
 * else the client address, behind {@code ledger.api.trusted-proxies} the forwarded one); each stream
 * has its own queue of {@link #SUBSCRIBER_QUEUE_MAX_BLOCKS} headers and its own writer, so a reader
 * that stalls holds up nobody else. A stream whose reader is that many blocks behind, or whose write
 * has not finished for {@link #WRITE_TIMEOUT_MS}, is dropped (EventSource reconnects). Every
 * {@code ledger.api.stream-heartbeat-ms} each stream gets a comment line: without it a stream whose
 * reader went away would keep its slot until the next block, and a client that reloads a page on an
 * idle chain would soon be refused. When the replica shuts down, the streams are ended before the web
 * server's graceful shutdown starts, which would otherwise wait its whole timeout for them.
 */
@RestController
@Tag(name = "Blocks", description = "Browse the chain of committed blocks")
public class BlockStreamController implements Consumer<Block>, SmartLifecycle, DisposableBean {
    /** Open streams at a time; more are refused with 429 so that subscribers cannot exhaust the server. */
    public static final int MAX_SUBSCRIBERS = 64;
    /** Open streams of one client (or address) at a time; more are refused with 429. */
    public static final int MAX_SUBSCRIBERS_PER_CLIENT = 4;
    /** A stream ends after this long; EventSource clients reconnect by themselves. */
    static final long STREAM_TIMEOUT_MS = 10 * 60 * 1000L;
    /** How long EventSource clients wait before reconnecting. */
    static final long RECONNECT_MS = 2_000;
    /** Blocks waiting for the publisher thread; beyond this, subscribers miss blocks rather than memory filling. */
    static final int SEND_QUEUE_MAX_BLOCKS = 1_000;
    /**
     * Headers waiting for one stream's reader; a reader this far behind is dropped. As many as the
     * publisher holds, so a burst (state transfer stores blocks fast) drops no reader that keeps
     * reading; the headers are shared between the queues, so each holds only references.
     */
    static final int SUBSCRIBER_QUEUE_MAX_BLOCKS = SEND_QUEUE_MAX_BLOCKS;
    /** A write to one stream that has not finished after this long marks its reader as stalled: dropped. */
    static final long WRITE_TIMEOUT_MS = 10_000;
    /** How long a shutdown waits for the ended streams' answers to complete. */
    static final long END_STREAMS_WAIT_MS = 2_000;

    private final List<StreamSubscriber> subscribers = new CopyOnWriteArrayList<>();
    private final TrustedProxies proxies;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running;
    /** Set once the replica shuts down: no new streams, which its graceful shutdown would wait for. */
    private volatile boolean stopping;
    private final ExecutorService publisher = new ThreadPoolExecutor(1, 1, 0L, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(SEND_QUEUE_MAX_BLOCKS), daemon("block-stream"), new ThreadPoolExecutor.DiscardPolicy());
    /**
     * One writer task per stream at most; a dropped stream's writer may still wait for the container's
     * write timeout, so there is room for twice the streams.
     */
    private final ThreadPoolExecutor writers = new ThreadPoolExecutor(0, 2 * MAX_SUBSCRIBERS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), daemon("block-stream-write"));
    /** Hands the publisher a heartbeat round every {@code ledger.api.stream-heartbeat-ms}. */
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("block-stream-heartbeat"));

    public BlockStreamController(ApiProperties properties) {
        this.proxies = TrustedProxies.of(properties.trustedProxies());
        long every = properties.streamHeartbeatMs();
        heartbeats.scheduleWithFixedDelay(() -> publisher.execute(this::heartbeat), every, every, TimeUnit.MILLISECONDS);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    @GetMapping(path = "/api/v1/blocks/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(operationId = "streamBlocks", summary = "Live feed of committed blocks",
            description = "Server-sent events: one event named block per block this replica commits, its data the "
                    + "block header as in the block list. The stream ends after 10 minutes; EventSource reconnects. "
                    + "At most 64 streams per replica and 4 per client; a stream whose reader falls 1000 blocks "
                    + "behind or does not take a write for 10 s is dropped.")
    @ApiResponse(responseCode = "200", description = "An event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "429", description = "Too many open streams on this replica (overloaded), or of this "
            + "client, or this address is over its refused-request limit (rate-limited)")
    @ApiResponse(responseCode = "503", description = "This replica is shutting down; connect to another")
    public SseEmitter stream(HttpServletRequest request) {
        String client = clientOf(request);
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        StreamSubscriber subscriber = new StreamSubscriber(emitter, client, SUBSCRIBER_QUEUE_MAX_BLOCKS);
        synchronized (subscribers) {
            if (stopping) {
                throw new LedgerException(ErrorKind.UNAVAILABLE, "this replica is shutting down; connect to another");
            }
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                throw new LedgerException(ErrorKind.OVERLOADED,
                        "this replica serves its maximum of " + MAX_SUBSCRIBERS + " block streams; retry later");
            }
            long own = subscribers.stream().filter(s -> s.client().equals(client)).count();
            if (own >= MAX_SUBSCRIBERS_PER_CLIENT) {
                throw new RateLimitedException(client + " already has " + own + " block streams open on this "
                        + "replica, the most one client may; close one or retry later", ApiLimits.RETRY_AFTER_SECONDS);
            }
            subscribers.add(subscriber);
        }
        emitter.onCompletion(() -> subscribers.remove(subscriber));
        emitter.onTimeout(() -> subscribers.remove(subscriber));
        emitter.onError(e -> subscribers.remove(subscriber));
        try {
            // Something to flush at once, so the client sees the stream open before the next block.
            emitter.send(SseEmitter.event().comment("subscribed").reconnectTime(RECONNECT_MS));
        } catch (IOException e) {
            subscribers.remove(subscriber);
            emitter.completeWithError(e);
        }
        return emitter;
    }

    /** The authenticated client when reads are closed, else the client address. */
    private String clientOf(HttpServletRequest request) {
        Object id = request.getAttribute(ReadAccessFilter.CLIENT_ATTRIBUTE);
        return id != null ? "client " + id : "address " + proxies.clientAddress(request);
    }

    /** Open streams, for tests and operators. */
    public int subscriberCount() {
        return subscribers.size();
    }

    /** Streams dropped because their reader stalled or fell behind, since start. */
    public long droppedStreams() {
        return dropped.get();
    }

    @Override
    public void accept(Block block) {
        BlockView header = BlockView.summary(block.header());
        publisher.execute(() -> publish(header));
    }

    private void publish(BlockView header) {
        long now = System.nanoTime();
        for (StreamSubscriber subscriber : subscribers) {
            if (subscriber.stalled(now, TimeUnit.MILLISECONDS.toNanos(WRITE_TIMEOUT_MS))) {
                drop(subscriber);
            } else if (!subscriber.offer(header)) {
                drop(subscriber);
            } else if (subscriber.claim()) {
                write(subscriber);
            }
        }
    }

    /** A comment line to every stream, on the publisher thread, so it never overtakes a block. */
    private void heartbeat() {
        long now = System.nanoTime();
        for (StreamSubscriber subscriber : subscribers) {
            if (subscriber.stalled(now, TimeUnit.MILLISECONDS.toNanos(WRITE_TIMEOUT_MS))) {
                drop(subscriber);
                continue;
            }
            subscriber.heartbeat();
            if (subscriber.claim()) {
                write(subscriber);
            }
        }
    }

    private void write(StreamSubscriber subscriber) {
        try {
            writers.execute(subscriber::drain);
        } catch (RejectedExecutionException e) {
            // Every writer is taken by a stalled stream waiting for the container's write timeout.
            drop(subscriber);
        }
    }

    /** Stops feeding {@code subscriber} and ends its stream once its writer is free (EventSource reconnects). */
    private void drop(StreamSubscriber subscriber) {
        if (subscribers.remove(subscriber)) {
            dropped.incrementAndGet();
        }
        subscriber.close();
        if (subscriber.claim()) {
            try {
                writers.execute(subscriber::drain);
            } catch (RejectedExecutionException e) {
                // No writer free: the container's own timeout ends that connection.
            }
        }
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown (a lower phase), which waits for open requests. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    /** Ends every open stream (EventSource reconnects elsewhere or later) and waits briefly for them to finish. */
    @Override
    public void stop() {
        running = false;
        synchronized (subscribers) {
            stopping = true;
        }
        for (StreamSubscriber subscriber : subscribers) {
            subscriber.close();
            subscriber.emitter().complete();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(END_STREAMS_WAIT_MS);
        while (!subscribers.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void destroy() {
        heartbeats.shutdownNow();
        publisher.shutdownNow();
        writers.shutdownNow();
        for (StreamSubscriber subscriber : subscribers) {
            subscriber.emitter().complete();
        }
        subscribers.clear();
    }
}
