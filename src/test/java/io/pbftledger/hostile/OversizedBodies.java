package io.pbftledger.hostile;

import io.pbftledger.chain.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Bodies over the documented caps (defaults: 1 MiB for a transaction, 16 MiB for a batch, 64 KiB
 * for a canonical payload, a full send batch of votes for a peer request): announced by
 * Content-Length (refused from the header alone, so only the start is sent), sent whole, or sent
 * chunked without any Content-Length. Also request headers over Tomcat's header limit.
 */
public final class OversizedBodies implements RequestSource {
    static final long SINGLE_CAP = 1L << 20;
    static final long BATCH_CAP = 16L << 20;
    /** Above the votes limit of the default settings (a full send batch of PREPAREs, ~32 KB). */
    static final int VOTES_OVER = 40_000;
    private static final int SHAPES = 9;

    @Override
    public Kind kind() {
        return Kind.OVERSIZED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(shape(i % SHAPES, i, random, target));
        }
        return out;
    }

    private HostileRequest shape(int shape, int i, Random random, Target target) {
        Transaction tx = SampleTransactions.forged(target.chainId(), "client-1", SampleTransactions.neverValidNonce(random), random);
        return switch (shape) {
            case 0 -> {
                long declared = SINGLE_CAP + 1 + random.nextInt(1 << 22);
                yield request("single, Content-Length " + declared, MalformedBodies.SUBMIT,
                        Body.declared(Body.JSON, declared, prefix(tx)),
                        Expect.refused(413, "request body of " + declared + " bytes exceeds the limit of 1048576 bytes",
                                "ledger.api.request-body-max-bytes"));
            }
            case 1 -> {
                long declared = BATCH_CAP + 1 + random.nextInt(1 << 26);
                yield request("batch, Content-Length " + declared, MalformedBodies.BATCH,
                        Body.declared(Body.JSON, declared, prefix(tx)),
                        Expect.refused(413, "exceeds the limit of 16777216 bytes", "ledger.api.batch-request-body-max-bytes"));
            }
            case 2 -> {
                // Sent whole with its Content-Length: a transaction whose payload pads it past the cap.
                int size = (int) SINGLE_CAP + 1 + random.nextInt(200_000);
                yield request("single, sent whole, " + size + " bytes", MalformedBodies.SUBMIT,
                        Body.json(padded(tx, size)), Expect.refused(413, "ledger.api.request-body-max-bytes"));
            }
            case 3 -> {
                int size = (int) SINGLE_CAP + 1 + random.nextInt(300_000);
                yield request("single, chunked, " + size + " bytes", MalformedBodies.SUBMIT,
                        Body.chunked(Body.JSON, padded(tx, size).getBytes(StandardCharsets.UTF_8)),
                        Expect.refused(413, "request body exceeds the limit of 1048576 bytes"));
            }
            case 4 -> {
                // A 16 MiB batch sent chunked costs the run real time: only the first one is, the others
                // announce themselves.
                if (i == 4) {
                    int size = (int) BATCH_CAP + 1 + random.nextInt(100_000);
                    yield request("batch, chunked, " + size + " bytes", MalformedBodies.BATCH,
                            Body.chunked(Body.JSON, ("[" + padded(tx, size - 2) + "]").getBytes(StandardCharsets.UTF_8)),
                            Expect.refused(413, "request body exceeds the limit of 16777216 bytes"));
                }
                long declared = BATCH_CAP + 1;
                yield request("batch, Content-Length cap + 1", MalformedBodies.BATCH, Body.declared(Body.JSON, declared, prefix(tx)),
                        Expect.refused(413, "request body of 16777217 bytes exceeds the limit"));
            }
            case 5 -> {
                // Under the body cap, over the payload cap: 64 KiB canonical, in short strings.
                int elements = 6_000 + random.nextInt(4_000);
                String payload = "[" + String.join(",", java.util.Collections.nCopies(elements, "\"0123456789abcdef\"")) + "]";
                String body = TxFields.of(tx).set("payload", payload).render();
                yield request("payload of " + elements + " strings", MalformedBodies.SUBMIT, Body.json(body),
                        Expect.refused(413, "bytes in canonical form; the limit is 65536"));
            }
            case 6 -> {
                long declared = VOTES_OVER + random.nextInt(1 << 20);
                yield request("peer votes, Content-Length " + declared, "/pbft/messages",
                        Body.declared(Body.OCTETS, declared, new byte[] {0, 0, 0, 1}),
                        Expect.refused(413, "a votes request carries at most", "declares " + declared))
                        .withHeaders(List.of("X-Pbft-Kind: votes")).withCertificate("replica-" + target.peer());
            }
            case 7 -> {
                byte[] noise = new byte[VOTES_OVER + random.nextInt(20_000)];
                random.nextBytes(noise);
                yield request("peer votes, chunked, " + noise.length + " bytes", "/pbft/messages", Body.chunked(Body.OCTETS, noise),
                        Expect.refused(413, "a votes request carries at most", "body is longer"))
                        .withHeaders(List.of("X-Pbft-Kind: votes")).withCertificate("replica-" + target.peer());
            }
            default -> {
                // A header over Tomcat's 8 KiB limit for the request head.
                int size = 9_000 + random.nextInt(20_000);
                yield request("header of " + size + " bytes", MalformedBodies.SUBMIT, Body.json(TxFields.of(tx).render()),
                        Expect.refused(400, "header")).withHeaders(List.of("X-Padding: " + "a".repeat(size)));
            }
        };
    }

    private static HostileRequest request(String label, String path, Body body, Expect expect) {
        return HostileRequest.of(Kind.OVERSIZED, label, "POST", path, body, expect);
    }

    /** The first bytes of a transaction body: what is sent of a body refused by its announced length. */
    private static byte[] prefix(Transaction tx) {
        byte[] all = TxFields.of(tx).render().getBytes(StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(all, Math.min(all.length, 64));
    }

    /** The transaction with a string payload that makes the body {@code size} bytes long. */
    private static String padded(Transaction tx, int size) {
        String empty = TxFields.of(tx).set("payload", "{\"pad\":\"\"}").render();
        return TxFields.of(tx).set("payload", "{\"pad\":\"" + "p".repeat(Math.max(0, size - empty.length())) + "\"}").render();
    }
}
