package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.PROBLEM_JSON;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feed of committed block headers as server-sent events. It is also a block listener
 * (NodeConfiguration hands every {@code Consumer<Block>} bean each committed block): listeners run on
 * the consensus thread, so the block is only handed to a sender thread here, and a slow subscriber
 * can never hold up consensus.
 */
@RestController
@Tag(name = "Blocks", description = "Browse the chain of committed blocks")
public class BlockStreamController implements Consumer<Block>, DisposableBean {
    /** Open streams at a time; more are refused with 429 so that subscribers cannot exhaust the server. */
    public static final int MAX_SUBSCRIBERS = 64;
    /** A stream ends after this long; EventSource clients reconnect by themselves. */
    static final long STREAM_TIMEOUT_MS = 10 * 60 * 1000L;
    /** How long EventSource clients wait before reconnecting. */
    static final long RECONNECT_MS = 2_000;
    /** Blocks waiting for the sender thread; beyond this, subscribers miss blocks rather than memory filling. */
    static final int SEND_QUEUE_MAX_BLOCKS = 1_000;

    private final List<SseEmitter> subscribers = new CopyOnWriteArrayList<>();
    private final ExecutorService sender = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0L,
            java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.ArrayBlockingQueue<>(SEND_QUEUE_MAX_BLOCKS),
            runnable -> {
                Thread t = new Thread(runnable, "block-stream");
                t.setDaemon(true);
                return t;
            }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());

    @GetMapping(path = "/api/v1/blocks/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live feed of committed blocks",
            description = "Server-sent events: one event named block per block this replica commits, its data the "
                    + "block header as in the block list. The stream ends after 10 minutes; EventSource reconnects.")
    @ApiResponse(responseCode = "200", description = "An event stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "429", description = "Too many open streams on this replica",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public SseEmitter stream() {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MS);
        synchronized (subscribers) {
            if (subscribers.size() >= MAX_SUBSCRIBERS) {
                throw new LedgerException(ErrorKind.OVERLOADED,
                        "this replica serves its maximum of " + MAX_SUBSCRIBERS + " block streams; retry later");
            }
            subscribers.add(emitter);
        }
        emitter.onCompletion(() -> subscribers.remove(emitter));
        emitter.onTimeout(() -> subscribers.remove(emitter));
        emitter.onError(e -> subscribers.remove(emitter));
        try {
            // Something to flush at once, so the client sees the stream open before the next block.
            emitter.send(SseEmitter.event().comment("subscribed").reconnectTime(RECONNECT_MS));
        } catch (IOException e) {
            subscribers.remove(emitter);
            emitter.completeWithError(e);
        }
        return emitter;
    }

    /** Open streams, for tests and operators. */
    public int subscriberCount() {
        return subscribers.size();
    }

    @Override
    public void accept(Block block) {
        BlockView header = BlockView.summary(block.header());
        sender.execute(() -> publish(header));
    }

    private void publish(BlockView header) {
        for (SseEmitter emitter : subscribers) {
            try {
                emitter.send(SseEmitter.event().name("block").id(String.valueOf(header.height()))
                        .data(header, MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                // The client went away; the container completes the emitter, which removes it.
                subscribers.remove(emitter);
                emitter.completeWithError(e);
            }
        }
    }

    @Override
    public void destroy() {
        sender.shutdownNow();
        for (SseEmitter emitter : subscribers) {
            emitter.complete();
        }
        subscribers.clear();
    }
}
