package io.pbftledger.bench;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * The transactions of one run, signed before the clock starts so that the client's own signing is
 * not measured. Transaction {@code i} is signed by client {@code i mod clients} and carries nonce
 * {@code firstNonce + i}: nonces stay unique per client
 * across runs on the same chain as long as each run starts from a fresh {@code firstNonce}.
 */
final class Workload {
    static final int PAYLOAD_MIN_BYTES = 2;
    static final int PAYLOAD_MAX_BYTES = Transaction.PAYLOAD_MAX_BYTES;
    /** Transactions write to this many distinct state keys, so the world state grows but stays bounded. */
    static final int STATE_KEYS = 1024;

    /** One pre-signed transaction: its position in the run, txId and REST body. */
    record SignedTx(int index, String txId, String body) {
    }

    private final List<SignedTx> transactions;

    private Workload(List<SignedTx> transactions) {
        this.transactions = transactions;
    }

    /**
     * Signs {@code count} transactions with a payload of exactly {@code payloadBytes} bytes in
     * canonical form (a JSON string), in parallel on all cores.
     */
    static Workload sign(List<ClientIdentity> clients, int count, int payloadBytes, long firstNonce) {
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("at least one client identity is needed");
        }
        if (payloadBytes < PAYLOAD_MIN_BYTES || payloadBytes > PAYLOAD_MAX_BYTES) {
            throw new IllegalArgumentException("payload bytes must be between " + PAYLOAD_MIN_BYTES + " and " + PAYLOAD_MAX_BYTES);
        }
        if (firstNonce < 0 || firstNonce > Transaction.MAX_NONCE - count) {
            throw new IllegalArgumentException("nonces " + firstNonce + ".." + firstNonce + "+" + count + " leave the range 0..2^53-1");
        }
        String payload = payload(payloadBytes);
        SignedTx[] signed = new SignedTx[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            ClientIdentity client = clients.get(i % clients.size());
            Transaction tx = client.sign(firstNonce + i, "bench." + (i % STATE_KEYS), payload);
            signed[i] = new SignedTx(i, tx.txId().hex(), body(tx));
        });
        return new Workload(List.of(signed));
    }

    /** A JSON string of exactly {@code bytes} bytes: quotes around {@code bytes - 2} ASCII letters. */
    static String payload(int bytes) {
        char[] letters = new char[bytes - 2];
        Arrays.fill(letters, 'x');
        return '"' + new String(letters) + '"';
    }

    /** The body of {@code POST /api/v1/transactions}; the payload is embedded byte for byte as signed. */
    static String body(Transaction tx) {
        ObjectNode node = LedgerEndpoints.JSON.createObjectNode();
        node.put("chainId", tx.chainId());
        node.put("clientId", tx.clientId());
        node.put("nonce", tx.nonce());
        if (tx.key() != null) {
            node.put("key", tx.key());
        }
        node.putRawValue("payload", new RawValue(tx.payload()));
        node.put("signature", tx.signatureBase64());
        return LedgerEndpoints.JSON.writeValueAsString(node);
    }

    List<SignedTx> transactions() {
        return transactions;
    }

    int size() {
        return transactions.size();
    }
}
