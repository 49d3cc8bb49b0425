package io.pbftledger.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pbftledger.chain.Transaction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A one-process stand-in for a cluster's REST API, over real HTTP, that the harness cannot tell
 * from a ledger but that can misbehave on purpose: keep some transactions pending forever, commit
 * some twice, answer 429 or refuse items. Every accepted request commits at once in a block of its
 * own; the block stream announces it.
 */
final class FakeLedger implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<List<String>> blocks = new ArrayList<>();
    private final Set<String> known = new HashSet<>();
    private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final int neverCommitFirst;
    private final int commitTwiceFirst;
    private final int overloadFirstRequests;
    private final long refuseNonceModulo;
    private int distinctSeen;
    /** How often each transaction was submitted, in the order first seen. */
    private final java.util.LinkedHashMap<String, Integer> submissions = new java.util.LinkedHashMap<>();
    /** Batch items answered REJECTED 429 (a full mempool) before items are accepted; set before a run. */
    private final AtomicInteger overloadItems = new AtomicInteger();

    /**
     * @param neverCommitFirst      the first that many distinct transactions are accepted but never committed
     * @param commitTwiceFirst      of the rest, the first that many are committed in two blocks
     * @param overloadFirstRequests the first that many POSTs are answered 429 with Retry-After: 0
     * @param refuseNonceModulo     transactions whose nonce is divisible by this are refused (403); 0 refuses none
     */
    FakeLedger(int neverCommitFirst, int commitTwiceFirst, int overloadFirstRequests, long refuseNonceModulo) throws IOException {
        this.neverCommitFirst = neverCommitFirst;
        this.commitTwiceFirst = commitTwiceFirst;
        this.overloadFirstRequests = overloadFirstRequests;
        this.refuseNonceModulo = refuseNonceModulo;
        blocks.add(List.of());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        server.setExecutor(executor);
        server.createContext("/api/v1/", this::handle);
        server.start();
    }

    static FakeLedger honest() throws IOException {
        return new FakeLedger(0, 0, 0, 0);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized int height() {
        return blocks.size() - 1;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (exchange.getRequestMethod().equals("POST") && requests.incrementAndGet() <= overloadFirstRequests) {
                exchange.getResponseHeaders().set("Retry-After", "0");
                send(exchange, 429, "{\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"mempool full\"}");
            } else if (path.equals("/api/v1/transactions/batch")) {
                int refusedBefore = refusedAt.size();
                String results = batch(LedgerEndpoints.JSON.readTree(exchange.getRequestBody()));
                if (refusedAt.size() > refusedBefore) {
                    exchange.getResponseHeaders().set("Retry-After", Long.toString(ITEM_RETRY_AFTER_SECONDS));
                }
                send(exchange, 200, results);
            } else if (path.equals("/api/v1/transactions")) {
                submitOne(exchange, LedgerEndpoints.JSON.readTree(exchange.getRequestBody()));
            } else if (path.equals("/api/v1/blocks/stream")) {
                stream(exchange);
            } else if (path.equals("/api/v1/blocks/latest")) {
                send(exchange, 200, "{\"height\":" + height() + "}");
            } else if (path.matches("/api/v1/blocks/[0-9]+/transactions")) {
                send(exchange, 200, blockTransactions(Integer.parseInt(path.split("/")[4])));
            } else if (path.matches("/api/v1/blocks/[0-9]+")) {
                send(exchange, 200, "{\"transactionCount\":" + block(Integer.parseInt(path.split("/")[4])).size() + "}");
            } else if (path.matches("/api/v1/transactions/[0-9a-f]{64}")) {
                lookup(exchange, path.substring("/api/v1/transactions/".length()));
            } else {
                send(exchange, 404, "{\"title\":\"Not Found\",\"status\":404}");
            }
        }
    }

    private void submitOne(HttpExchange exchange, JsonNode body) throws IOException {
        Transaction tx = transaction(body);
        String txId = tx.txId().hex();
        if (refused(tx)) {
            send(exchange, 403, "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"no submit role\"}");
            return;
        }
        long height = accept(txId);
        if (height < 0) {
            pause();
            send(exchange, 202, "{\"txId\":\"" + txId + "\",\"status\":\"PENDING\"}");
        } else {
            send(exchange, 200, "{\"txId\":\"" + txId + "\",\"status\":\"COMMITTED\",\"blockHeight\":" + height + "}");
        }
    }

    private String batch(JsonNode items) {
        ArrayNode results = LedgerEndpoints.JSON.createArrayNode();
        for (int i = 0; i < items.size(); i++) {
            Transaction tx = transaction(items.get(i));
            ObjectNode result = results.addObject().put("index", i).put("txId", tx.txId().hex());
            if (refused(tx)) {
                result.put("status", "REJECTED").putObject("problem").put("status", 403).put("title", "Forbidden");
            } else if (overloadItems.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                result.put("status", "REJECTED").putObject("problem").put("status", 429).put("title", "Too Many Requests");
                refusedAt.put(tx.txId().hex(), System.nanoTime());
            } else {
                Long refused = refusedAt.get(tx.txId().hex());
                if (refused != null) {
                    shortestResendNanos.accumulateAndGet(System.nanoTime() - refused, Math::min);
                }
                accept(tx.txId().hex());
                result.put("status", "ACCEPTED");
            }
        }
        return results.toString();
    }

    /** Whether the first transaction lookup (the audit's) commits the held transactions first. */
    private final java.util.concurrent.atomic.AtomicBoolean commitHeldOnLookup = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The transactions held by {@code neverCommitFirst} commit, in one block, when the first
     * transaction is looked up: after the audit fixed the range of blocks it walks, as when a
     * cluster is still committing when the run stops waiting.
     */
    FakeLedger commitHeldOnFirstLookup() {
        commitHeldOnLookup.set(true);
        return this;
    }

    private void commitHeld() {
        synchronized (this) {
            List<String> held = new ArrayList<>();
            for (String txId : known) {
                if (heightOf(txId) < 0) {
                    held.add(txId);
                }
            }
            if (held.isEmpty()) {
                return;
            }
            blocks.add(List.copyOf(held));
        }
        announce();
    }

    /** The Retry-After of a batch answer with items refused for now. */
    static final long ITEM_RETRY_AFTER_SECONDS = 1;
    /** When each batch item refused for now was last refused. */
    private final java.util.Map<String, Long> refusedAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong shortestResendNanos = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);

    /** The shortest time from refusing a batch item for now to accepting it when sent again; MAX_VALUE if none was. */
    long shortestResendNanos() {
        return shortestResendNanos.get();
    }

    /**
     * The next {@code count} batch items are refused with 429, as by a replica whose mempool is full;
     * the batch answer then says Retry-After: {@link #ITEM_RETRY_AFTER_SECONDS}.
     */
    FakeLedger overloadItems(int count) {
        overloadItems.set(count);
        return this;
    }

    /** How often each of the first {@code count} distinct transactions was submitted. */
    synchronized List<Integer> submissionsOf(int count) {
        return submissions.values().stream().limit(count).toList();
    }

    private boolean refused(Transaction tx) {
        return refuseNonceModulo > 0 && tx.nonce() % refuseNonceModulo == 0;
    }

    /** Commits a new transaction in a block of its own (twice, or never, as configured); its height, or -1 if pending. */
    private long accept(String txId) {
        long height;
        synchronized (this) {
            submissions.merge(txId, 1, Integer::sum);
            if (known.add(txId)) {
                distinctSeen++;
                if (distinctSeen <= neverCommitFirst) {
                    return -1;
                }
                blocks.add(List.of(txId));
                if (distinctSeen <= neverCommitFirst + commitTwiceFirst) {
                    blocks.add(List.of(txId));
                }
            }
            height = heightOf(txId);
        }
        announce();
        return height;
    }

    private synchronized long heightOf(String txId) {
        for (int h = 1; h < blocks.size(); h++) {
            if (blocks.get(h).contains(txId)) {
                return h;
            }
        }
        return -1;
    }

    private void lookup(HttpExchange exchange, String txId) throws IOException {
        if (commitHeldOnLookup.getAndSet(false)) {
            commitHeld();
        }
        long height = heightOf(txId);
        if (height < 0) {
            send(exchange, 404, "{\"title\":\"Not Found\",\"status\":404}");
        } else {
            send(exchange, 200, "{\"txId\":\"" + txId + "\",\"status\":\"COMMITTED\",\"blockHeight\":" + height + "}");
        }
    }

    private synchronized List<String> block(int height) {
        return blocks.get(height);
    }

    private String blockTransactions(int height) {
        ArrayNode txs = LedgerEndpoints.JSON.createArrayNode();
        block(height).forEach(txId -> txs.addObject().put("txId", txId));
        ObjectNode answer = LedgerEndpoints.JSON.createObjectNode().put("height", height);
        answer.set("transactions", txs);
        return answer.toString();
    }

    private void stream(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(":subscribed\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        streams.add(out);
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            streams.remove(out);
        }
    }

    private void announce() {
        String event = "event:block\nid:" + height() + "\ndata:{}\n\n";
        for (OutputStream out : streams) {
            try {
                synchronized (out) {
                    out.write(event.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            } catch (IOException e) {
                streams.remove(out);
            }
        }
    }

    /** Like a short waitMs, so a harness asking again for a pending transaction does not spin. */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Transaction transaction(JsonNode body) {
        return Transaction.fromJsonPayload(body.get("chainId").asString(), body.get("clientId").asString(), body.get("nonce").asLong(),
                body.hasNonNull("key") ? body.get("key").asString() : null, body.get("payload").toString(),
                Base64.getDecoder().decode(body.get("signature").asString()));
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
