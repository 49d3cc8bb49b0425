package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Builders for core tests: n=4, K=10, L=20, batches of up to 3 requests / 1000 bytes / 50 ms. */
final class Fixture {
    static final int N = 4;
    static final long K = 10;
    static final long L = 20;
    static final int BATCH_MAX = 3;
    static final long BATCH_BYTES = 1_000;
    static final long DELAY = 50;
    static final long SKEW = 1_000;
    static final long RETRANSMIT = 500;
    static final long VIEW_CHANGE_TIMEOUT = 2_000;
    /** The chain the test replicas sign for. */
    static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256("core-test-chain".getBytes(StandardCharsets.UTF_8)));

    /** Requests "executed in committed blocks", as the driver's database would answer. */
    final Set<String> executed = new HashSet<>();
    final ExecutedRequests executedRequests = (c, nonce) -> executed.contains(c + "#" + nonce);

    static ReplicaConfig config(int id) {
        return config(id, ReplicaSet.ofSize(N));
    }

    static ReplicaConfig config(int id, ReplicaSet set) {
        return ReplicaConfig.builder(id, set.n())
                .members(set)
                .checkpoints(K, L)
                .batches(BATCH_MAX, BATCH_BYTES, DELAY)
                .timestampSkewMs(SKEW)
                .retransmitIntervalMs(RETRANSMIT)
                .viewChangeTimeoutMs(VIEW_CHANGE_TIMEOUT)
                .build();
    }

    Replica replica(int id) {
        return new Replica(config(id), DOMAIN, signer(id), verifier(), executedRequests, RecoveredState.fresh());
    }

    Replica replica(int id, RecoveredState recovered) {
        return new Replica(config(id), DOMAIN, signer(id), verifier(), executedRequests, recovered);
    }

    static MessageVerifier verifier() {
        return (replica, bytes, signature) -> Arrays.equals(signer(replica).sign(bytes), signature);
    }

    static MessageSigner signer(int id) {
        return bytes -> Arrays.copyOf(Digest.sha256(ByteBuffer.allocate(4).putInt(id).array(), bytes).bytes(), 64);
    }

    static <T extends PbftMessage> Signed<T> signed(T m) {
        return new Signed<>(m, signer(m.replica()).sign(MessageCodec.signingBytes(DOMAIN, m)));
    }

    static ClientRequest request(String client, long nonce) {
        return request(client, nonce, 10);
    }

    static ClientRequest request(String client, long nonce, int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) nonce);
        Digest id = Digest.sha256(client.getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(8).putLong(nonce).array());
        return new ClientRequest(client, nonce, id, body);
    }

    static Signed<PrePrepare> prePrepare(int primary, long view, long seq, long ts, ClientRequest... batch) {
        List<ClientRequest> list = List.of(batch);
        return signed(new PrePrepare(primary, view, seq, ts, BatchDigest.ofRequests(ts, list), list));
    }

    static Signed<Prepare> prepare(int replica, long view, long seq, Digest d) {
        return signed(new Prepare(replica, view, seq, d));
    }

    static Signed<Commit> commit(int replica, long view, long seq, Digest d) {
        return signed(new Commit(replica, view, seq, d));
    }

    static Signed<Checkpoint> checkpoint(int replica, long seq, Digest state) {
        return signed(new Checkpoint(replica, seq, state));
    }

    /** Takes the pending Ready the way a driver does (without executing), or an empty one. */
    static Ready drain(Replica r) {
        if (!r.hasReady()) {
            return new Ready(List.of(), List.of(), List.of(), List.of());
        }
        Ready ready = r.ready();
        r.advance(ready);
        return ready;
    }

    static List<PbftMessage> sent(Ready ready) {
        List<PbftMessage> out = new ArrayList<>();
        for (Outbound o : ready.messages()) {
            out.add(o.message().message());
        }
        return out;
    }

    static <T extends PbftMessage> List<T> sent(Ready ready, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (PbftMessage m : sent(ready)) {
            if (type.isInstance(m)) {
                out.add(type.cast(m));
            }
        }
        return out;
    }

    /** Drives a backup (id) through pre-prepare, prepares and commits of one batch; returns its Ready. */
    static Ready commitAt(Replica r, int self, long seq, long ts, ClientRequest... batch) {
        Signed<PrePrepare> pp = prePrepare(0, 0, seq, ts, batch);
        Digest d = pp.message().batchDigest();
        r.step(pp);
        for (int i = 1; i < N; i++) {
            if (i != self) {
                r.step(prepare(i, 0, seq, d));
            }
        }
        for (int i = 0; i < N; i++) {
            if (i != self) {
                r.step(commit(i, 0, seq, d));
            }
        }
        return drain(r);
    }

    static long drops(Replica r, DropReason reason) {
        return r.dropCounts().getOrDefault(reason, 0L);
    }
}
