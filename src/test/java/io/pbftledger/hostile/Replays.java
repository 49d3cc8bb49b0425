package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Valid requests sent again: a transaction already submitted (the same signed bytes: idempotent,
 * never stored twice), a batch of them, the same client and nonce with different content (409), a
 * captured signed read replayed after its window or on another path (401) or within it on the same
 * path (served, by design), and a correctly signed peer message sent twice in a row under a
 * replica's certificate (accepted once, the copy dropped as {@code replayed}).
 */
public final class Replays implements RequestSource {
    private static final int SHAPES = 7;
    /** Older than the read window (ledger.api.read-timestamp-skew-ms, 5 minutes). */
    private static final long OUTSIDE_WINDOW_MS = 6 * 60_000;

    @Override
    public Kind kind() {
        return Kind.REPLAYED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(shape(i % SHAPES, random, target));
        }
        return out;
    }

    private HostileRequest shape(int shape, Random random, Target target) {
        List<Transaction> originals = target.originals();
        Transaction original = originals.get(random.nextInt(originals.size()));
        ClientIdentity reader = target.client("client-" + (1 + random.nextInt(2)));
        return switch (shape) {
            case 0 -> HostileRequest.of(Kind.REPLAYED, "transaction again", "POST", MalformedBodies.SUBMIT,
                    Body.json(TransactionJson.body(original)), Expect.served(200, 202));
            case 1 -> {
                int n = 2 + random.nextInt(5);
                List<String> items = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    items.add(TransactionJson.body(originals.get(random.nextInt(originals.size()))));
                }
                yield HostileRequest.of(Kind.REPLAYED, "batch of " + n + " again", "POST", MalformedBodies.BATCH,
                        Body.json("[" + String.join(",", items) + "]"), Expect.served(200));
            }
            case 2 -> {
                ClientIdentity owner = target.client(original.clientId());
                Transaction other = owner.sign(original.nonce(), original.key(), "{\"other\":" + random.nextInt(1_000_000) + "}");
                yield HostileRequest.of(Kind.REPLAYED, "nonce again, other content", "POST", MalformedBodies.SUBMIT,
                        Body.json(TransactionJson.body(other)),
                        Expect.refused(409, "already used nonce " + original.nonce()));
            }
            case 3 -> {
                String path = readPath(random, original);
                yield HostileRequest.of(Kind.REPLAYED, "signed read after its window", "GET", path, null,
                        Expect.refused(401, "X-Ledger-Timestamp", "ledger.api.read-timestamp-skew-ms"))
                        .withHeaders(Target.signedRead(reader, "GET", path, target.clockMs().getAsLong() - OUTSIDE_WINDOW_MS));
            }
            case 4 -> {
                String signedFor = readPath(random, original);
                String path = signedFor.equals("/api/v1/membership") ? "/api/v1/consensus" : "/api/v1/membership";
                yield HostileRequest.of(Kind.REPLAYED, "signed read on another path", "GET", path, null,
                        Expect.refused(401, "does not verify", path))
                        .withHeaders(target.signedRead(reader, "GET", signedFor));
            }
            case 5 -> {
                String path = readPath(random, original);
                yield HostileRequest.of(Kind.REPLAYED, "signed read again within its window", "GET", path, null,
                        Expect.served(200)).withHeaders(target.signedRead(reader, "GET", path)).withCopies(2);
            }
            default -> {
                // Old enough that the replica executed it long ago: harmless once, a replay the second time.
                byte[] digest = new byte[32];
                random.nextBytes(digest);
                byte[] body = MessageCodec.encodeAll(List.of(target.sign(target.peerKey(),
                        new Commit(target.peer(), 0, 1, new Digest(digest)))));
                yield HostileRequest.of(Kind.REPLAYED, "peer COMMIT twice", "POST", "/pbft/messages", Body.of(Body.OCTETS, body),
                        Expect.served(202)).withHeaders(List.of("X-Pbft-Kind: votes"))
                        .withCertificate("replica-" + target.peer()).withCopies(2);
            }
        };
    }

    private static String readPath(Random random, Transaction original) {
        return List.of("/api/v1/consensus", "/api/v1/membership", "/api/v1/blocks/latest", "/api/v1/state/" + original.key(),
                "/api/v1/transactions/" + original.txId().hex(), "/api/v1/blocks?limit=2").get(random.nextInt(6));
    }
}
