package io.pbftledger.transport;

import io.pbftledger.node.ThreadFailures;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound link to one peer: a bounded queue drained by its own sender thread, which packs up
 * to {@code sendBatchMaxMessages} queued messages into one HTTP request over a keep-alive
 * connection. Each request stays within the peer's limit for its kind ({@link PeerBodyLimits}: a
 * batch too large is sent in halves) and carries its {@link PeerRequestSigner}'s headers, signed anew
 * for every attempt. A failed send (an I/O error, a 5xx or a 429) is retried with exponential backoff,
 * and a full queue drops new messages (the core retransmits what matters), so a dead or slow peer
 * never stalls the others.
 *
 * <p>The sender thread never dies silently: anything unexpected it catches (an
 * {@link OutOfMemoryError} while another request takes the heap, say) drops the messages of that
 * attempt, is logged at ERROR and counted, marks the link {@link Link#FAILED} until a send
 * succeeds again, and the loop goes on. Should the thread end anyway (an error while handling an
 * error), the next message queued for the peer starts a new one; until then the link is
 * {@link Link#DEAD}. A peer is never reported reachable over a link that is not {@link Link#UP}.
 */
final class PeerChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);
    static final String PATH = "/pbft/messages";
    private static final long BACKOFF_MIN_MS = 50;
    private static final long BACKOFF_MAX_MS = 2_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final int SEND_ATTEMPTS_MAX = 3;

    /** The state of this replica's sender to the peer, as the status API shows it. */
    enum Link {
        /** The sender runs, and its last attempt ended normally (sent, or the network failed). */
        UP,
        /** The sender's last attempt failed with an unexpected error; it goes on, and the next success clears it. */
        FAILED,
        /** The sender thread has ended; the next queued message starts a new one. */
        DEAD
    }

    private final int peerId;
    private final String baseUrl;
    private final URI uri;
    private final HttpClient http;
    private final BlockingQueue<Signed<? extends PbftMessage>> queue;
    private final int sendBatchMaxMessages;
    private final Supplier<PeerBodyLimits> limits;
    private final PeerRequestSigner signer;
    private final ThreadFailures failures;
    private volatile Thread thread;
    private volatile boolean started;
    private volatile boolean linkFailed;
    private final AtomicLong linkFailures = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private volatile long lastSuccessMillis;
    private volatile boolean lastSendFailed;
    private volatile HttpClient.Version protocol;
    private volatile boolean running = true;

    PeerChannel(int peerId, String baseUrl, HttpClient http, int queueMaxMessages, int sendBatchMaxMessages,
                PeerBodyLimits limits, PeerRequestSigner signer) {
        this(peerId, baseUrl, http, queueMaxMessages, sendBatchMaxMessages, limits, signer, new ThreadFailures());
    }

    PeerChannel(int peerId, String baseUrl, HttpClient http, int queueMaxMessages, int sendBatchMaxMessages,
                PeerBodyLimits limits, PeerRequestSigner signer, ThreadFailures failures) {
        this(peerId, baseUrl, http, queueMaxMessages, sendBatchMaxMessages, () -> limits, signer, failures);
    }

    /** Packing within the limits in force at each send. */
    PeerChannel(int peerId, String baseUrl, HttpClient http, int queueMaxMessages, int sendBatchMaxMessages,
                Supplier<PeerBodyLimits> limits, PeerRequestSigner signer, ThreadFailures failures) {
        this.failures = failures;
        this.peerId = peerId;
        this.baseUrl = baseUrl;
        this.uri = URI.create(stripSlash(baseUrl) + PATH);
        this.http = http;
        this.queue = new ArrayBlockingQueue<>(queueMaxMessages);
        this.sendBatchMaxMessages = sendBatchMaxMessages;
        this.limits = limits;
        this.signer = signer;
        this.thread = newSender();
    }

    private Thread newSender() {
        Thread t = new Thread(this::run, "pbft-send-" + peerId);
        t.setDaemon(true);
        // Only what escapes the loop's own handling (an error while handling an error) gets here.
        t.setUncaughtExceptionHandler((dead, e) -> failed(e, "ended"));
        return t;
    }

    void start() {
        started = true;
        thread.start();
    }

    void enqueue(Signed<? extends PbftMessage> message) {
        if (started && running && !thread.isAlive()) {
            restart();
        }
        if (!queue.offer(message)) {
            dropped.incrementAndGet();
        }
    }

    private synchronized void restart() {
        if (!running || thread.isAlive()) {
            return;
        }
        LOG.error("the sender to peer {} had ended; starting a new one", peerId);
        thread = newSender();
        thread.start();
    }

    /** The sender's state: {@link Link#DEAD} when its thread ended, {@link Link#FAILED} after an unexpected error. */
    Link link() {
        if (started && !thread.isAlive() && running) {
            return Link.DEAD;
        }
        return linkFailed ? Link.FAILED : Link.UP;
    }

    /** Unexpected errors the sender caught since start. */
    long linkFailures() {
        return linkFailures.get();
    }

    /** Counts, flags and logs an unexpected error of the sender; never throws. */
    private void failed(Throwable e, String outcome) {
        linkFailed = true;
        linkFailures.incrementAndGet();
        failures.record(ThreadFailures.Kind.SENDER);
        try {
            LOG.error("sender to peer {} failed unexpectedly ({}); the messages of that attempt are dropped and the "
                    + "sender has {}", peerId, e, outcome, e);
        } catch (Throwable logging) {
            // Out of memory even for the log line: the flag and the counters still tell.
        }
    }

    int peerId() {
        return peerId;
    }

    String baseUrl() {
        return baseUrl;
    }

    int queueDepth() {
        return queue.size();
    }

    long droppedMessages() {
        return dropped.get();
    }

    long sentMessages() {
        return sent.get();
    }

    /** Reachable when the link is up and the last request succeeded, within {@code withinMillis}. */
    boolean reachable(long nowMillis, long withinMillis) {
        return link() == Link.UP && !lastSendFailed && lastSuccessMillis > 0
                && nowMillis - lastSuccessMillis <= withinMillis;
    }

    /** The HTTP version of the last answer from the peer; null before the first. */
    HttpClient.Version protocol() {
        return protocol;
    }

    private void noteProtocol(HttpClient.Version version) {
        if (version != protocol) {
            LOG.info("peer {} at {}: messages go over {}", peerId, baseUrl, version);
            protocol = version;
        }
    }

    /** Marks the peer as heard from (it sent us a valid message). */
    void heardFrom(long nowMillis) {
        lastSuccessMillis = nowMillis;
        lastSendFailed = false;
    }

    private void run() {
        List<Signed<? extends PbftMessage>> batch = new ArrayList<>(sendBatchMaxMessages);
        long backoff = BACKOFF_MIN_MS;
        while (running) {
            try {
                Signed<? extends PbftMessage> first = queue.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, sendBatchMaxMessages - 1);
                sendFitting(batch);
                batch.clear();
                backoff = BACKOFF_MIN_MS;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                batch.clear();
                lastSendFailed = true;
                LOG.debug("peer {} unreachable: {}", peerId, e.toString());
                sleep(backoff);
                backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
            } catch (Throwable e) {
                dropped.addAndGet(batch.size());
                batch.clear();
                failed(e, "gone on");
                sleep(backoff);
                backoff = Math.min(BACKOFF_MAX_MS, backoff * 2);
            }
        }
    }

    /**
     * Sends {@code batch} in one request if it fits the limit of its kind (that of its largest
     * message), else in halves; a single message that does not fit is refused.
     */
    private void sendFitting(List<Signed<? extends PbftMessage>> batch) throws IOException, InterruptedException {
        PeerRequestKind kind = PeerRequestKind.of(batch);
        long limit = limits.get().forKind(kind);
        byte[] body = MessageCodec.encodeAll(batch);
        if (body.length <= limit) {
            sendWithRetry(body, kind, batch.size());
        } else if (batch.size() == 1) {
            refuseOversized(batch.get(0), body.length, limit);
        } else {
            int mid = batch.size() / 2;
            sendFitting(new ArrayList<>(batch.subList(0, mid)));
            sendFitting(new ArrayList<>(batch.subList(mid, batch.size())));
        }
    }

    /**
     * One message larger than a peer accepts (its endpoint answers 413 to such a body): it is
     * dropped here, counted, and logged, since sending it cannot succeed. The limit admits every
     * message an honest replica produces (PeerBodyLimit), so this is a configuration mismatch
     * between replicas, or a bug.
     */
    private void refuseOversized(Signed<? extends PbftMessage> message, int bytes, long limit) {
        dropped.incrementAndGet();
        oversized.incrementAndGet();
        LOG.error("not sending {} to peer {}: {} bytes exceed the {} bytes a peer accepts in one request of its kind",
                message.message().getClass().getSimpleName(), peerId, bytes, limit);
    }

    long oversizedMessages() {
        return oversized.get();
    }

    private void sendWithRetry(byte[] body, PeerRequestKind kind, int messages) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < SEND_ATTEMPTS_MAX && running; attempt++) {
            try {
                // Signed again for each attempt: a peer accepts each nonce once.
                HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                        .timeout(REQUEST_TIMEOUT)
                        .header("Content-Type", "application/octet-stream")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                signer.headers(peerId, kind, body).forEach(builder::header);
                HttpRequest request = builder.build();
                HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
                noteProtocol(response.version());
                if (response.statusCode() / 100 == 2) {
                    lastSuccessMillis = System.currentTimeMillis();
                    lastSendFailed = false;
                    linkFailed = false;
                    sent.addAndGet(messages);
                    return;
                }
                last = new IOException("peer answered HTTP " + response.statusCode());
                if (response.statusCode() / 100 == 4 && response.statusCode() != 429) {
                    break; // the peer refuses these messages; resending them cannot help
                }
            } catch (IOException e) {
                last = e;
            }
            sleep(BACKOFF_MIN_MS << attempt);
        }
        dropped.addAndGet(messages);
        throw last == null ? new IOException("channel closed") : last;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
