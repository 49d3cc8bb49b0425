package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What an honest client does in the middle of it all: submits new signed transactions, alone or in
 * small batches, and reads the closed API with signed headers or its certificate. The transactions
 * must be accepted and end up in the chain exactly once; the reads must be served.
 */
public final class ValidTraffic implements RequestSource {
    /** Nonces of the transactions this source signs start here (one counter per run, all clients). */
    public static final long NONCE_BASE = 1_000_000;
    private static final int SHAPES = 4;

    @Override
    public Kind kind() {
        return Kind.VALID;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        long nonce = NONCE_BASE;
        for (int i = 0; i < count; i++) {
            ClientIdentity client = target.clients().get(random.nextInt(3));
            switch (i % SHAPES) {
                case 0, 1 -> {
                    Transaction tx = SampleTransactions.valid(client, nonce++, random);
                    out.add(HostileRequest.of(Kind.VALID, "transaction", "POST", MalformedBodies.SUBMIT,
                            Body.json(TransactionJson.body(tx)), Expect.served(202, 200)).storing(List.of(tx.txId().hex())));
                }
                case 2 -> {
                    int n = 2 + random.nextInt(3);
                    List<String> bodies = new ArrayList<>();
                    List<String> ids = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        Transaction tx = SampleTransactions.valid(client, nonce++, random);
                        bodies.add(TransactionJson.body(tx));
                        ids.add(tx.txId().hex());
                    }
                    out.add(HostileRequest.of(Kind.VALID, "batch of " + n, "POST", MalformedBodies.BATCH,
                            Body.json("[" + String.join(",", bodies) + "]"), Expect.served(200)).storing(ids));
                }
                default -> {
                    String path = List.of("/api/v1/consensus", "/api/v1/blocks/latest", "/api/v1/membership",
                            "/api/v1/state/" + target.originals().get(0).key(), "/api/v1/blocks?limit=5").get(random.nextInt(5));
                    ClientIdentity reader = target.client("client-" + (1 + random.nextInt(2)));
                    HostileRequest read = HostileRequest.of(Kind.VALID, random.nextBoolean() ? "signed read" : "read by certificate",
                            "GET", path, null, Expect.served(200));
                    out.add(read.label().equals("signed read") ? read.withHeaders(target.signedRead(reader, "GET", path))
                            : read.withCertificate(reader.clientId()));
                }
            }
        }
        return out;
    }
}
