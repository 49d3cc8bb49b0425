package io.pbftledger.cluster;

import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads and drives a {@link LocalCluster} through the public REST API, as a client would. */
final class ClusterProbe {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final LocalCluster cluster;

    ClusterProbe(LocalCluster cluster) {
        this.cluster = cluster;
    }

    JsonNode consensus(int replica) throws IOException, InterruptedException {
        return JSON.readTree(cluster.get(replica, "/api/v1/consensus").body());
    }

    /** Peer id to the HTTP version {@code replica}'s last message to it went over (null before the first). */
    java.util.Map<Integer, String> peerProtocols(int replica) throws IOException, InterruptedException {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (JsonNode peer : consensus(replica).get("peers")) {
            JsonNode protocol = peer.get("protocol");
            out.put(peer.get("id").asInt(), protocol == null || protocol.isNull() ? null : protocol.asString());
        }
        return out;
    }

    long height(int replica) throws IOException, InterruptedException {
        return consensus(replica).get("height").asLong();
    }

    long view(int replica) throws IOException, InterruptedException {
        return consensus(replica).get("view").asLong();
    }

    /** Block hashes of heights 1..upTo as replica {@code replica} stores them. */
    List<String> hashes(int replica, long upTo) throws IOException, InterruptedException {
        List<String> out = new ArrayList<>();
        for (long h = 1; h <= upTo; h++) {
            HttpResponse<String> r = cluster.get(replica, "/api/v1/blocks/" + h);
            out.add(r.statusCode() == 200 ? JSON.readTree(r.body()).get("hash").asString() : "missing");
        }
        return out;
    }

    /** Submits {@code tx} to {@code replica} (with {@code ?wait=true&waitMs=} when waitMs > 0). */
    HttpResponse<String> submit(int replica, Transaction tx, long waitMs) throws IOException, InterruptedException {
        String path = "/api/v1/transactions" + (waitMs > 0 ? "?wait=true&waitMs=" + waitMs : "");
        return cluster.post(replica, path, TransactionJson.body(tx));
    }

    boolean committed(int replica, Transaction tx) throws IOException, InterruptedException {
        HttpResponse<String> r = cluster.get(replica, "/api/v1/transactions/" + tx.txId().hex());
        return r.statusCode() == 200 && "COMMITTED".equals(JSON.readTree(r.body()).get("status").asString());
    }

    JsonNode verify(int replica) throws IOException, InterruptedException {
        return JSON.readTree(cluster.getAsAdmin(replica, "/api/v1/chain/verify").body());
    }

    /** Polls {@code condition} every 200 ms until it holds or {@code timeout} passes; returns whether it held. */
    static boolean eventually(Duration timeout, Check condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return true;
                }
            } catch (IOException e) {
                // a replica that is starting or stopping; try again
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** A condition that may do I/O. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
