package io.pbftledger.sim;

import io.pbftledger.pbft.core.CommittedBatch;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What a LYING_STATE_TRANSFER node serves when a peer catches up from it: at the level the
 * simulator models catch-up (certified batches by sequence), the lies a replica can make without
 * the others' keys, as the production lying-state-transfer mode leaves a block out and renumbers
 * the rest. Each catch-up gets the next lie in turn, deterministically:
 * <ol>
 *   <li>{@link Lie#LEFT_OUT_RENUMBERED}: the batch asked for is left out; every later one is served
 *       one sequence lower, with its own commit certificate;</li>
 *   <li>{@link Lie#REQUEST_LEFT_OUT}: the batch with its last request left out and the digest
 *       recomputed, under the certificate of the real one;</li>
 *   <li>{@link Lie#OTHER_BODY}: the batch with its first request's body changed under the same
 *       request id, so the batch digest and certificate still match: only the check that an id names
 *       exactly its body (the driver's, as for every request that arrives) exposes it.</li>
 * </ol>
 */
final class LyingCatchUp {
    enum Lie { LEFT_OUT_RENUMBERED, REQUEST_LEFT_OUT, OTHER_BODY }

    private long catchUps;
    private Lie current = Lie.LEFT_OUT_RENUMBERED;
    private long served;

    /** Starts serving the next catch-up, with the next lie. */
    void nextCatchUp() {
        current = Lie.values()[(int) (catchUps++ % Lie.values().length)];
    }

    Lie current() {
        return current;
    }

    /** Batches served that are not what the node stored. */
    long served() {
        return served;
    }

    /** The lie for {@code sequence}, from the node's stored (honest) batches; null when it has nothing to lie with. */
    CommittedBatch batchAt(LongFunction<CommittedBatch> stored, long sequence) {
        CommittedBatch lie = switch (current) {
            case LEFT_OUT_RENUMBERED -> renumbered(stored.apply(sequence + 1), sequence);
            case REQUEST_LEFT_OUT -> requestLeftOut(stored.apply(sequence));
            case OTHER_BODY -> otherBody(stored.apply(sequence));
        };
        if (lie != null) {
            served++;
        }
        return lie;
    }

    private static CommittedBatch renumbered(CommittedBatch next, long sequence) {
        if (next == null) {
            return null;
        }
        return new CommittedBatch(next.view(), sequence, next.timestamp(), next.primary(), next.batchDigest(),
                next.requests(), next.certificate());
    }

    private static CommittedBatch requestLeftOut(CommittedBatch b) {
        if (b == null || b.requests().isEmpty()) {
            return null;
        }
        List<ClientRequest> fewer = b.requests().subList(0, b.requests().size() - 1);
        return new CommittedBatch(b.view(), b.sequence(), b.timestamp(), b.primary(),
                BatchDigest.ofRequests(b.timestamp(), fewer), List.copyOf(fewer), b.certificate());
    }

    private static CommittedBatch otherBody(CommittedBatch b) {
        if (b == null || b.requests().isEmpty()) {
            return null;
        }
        List<ClientRequest> requests = new ArrayList<>(b.requests());
        ClientRequest first = requests.get(0);
        byte[] body = first.body().length == 0 ? new byte[] {0x5a} : first.body().clone();
        body[0] ^= 0x5a;
        requests.set(0, new ClientRequest(first.clientId(), first.nonce(), first.id(), body));
        return new CommittedBatch(b.view(), b.sequence(), b.timestamp(), b.primary(), b.batchDigest(),
                List.copyOf(requests), b.certificate());
    }
}
