package io.pbftledger.cli;

import io.pbftledger.chain.Transaction;
import java.time.Instant;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** A signed transaction as the REST body of {@code POST /api/v1/transactions}. */
public final class TransactionJson {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private TransactionJson() {
    }

    /**
     * {@code {"chainId","clientId","nonce","key"?,"payload","signature"}}; the payload is embedded as
     * its canonical JSON text, byte for byte what was signed. A null key is left out.
     */
    public static String body(Transaction tx) {
        ObjectNode node = JSON.createObjectNode();
        node.put("chainId", tx.chainId());
        node.put("clientId", tx.clientId());
        node.put("nonce", tx.nonce());
        if (tx.key() != null) {
            node.put("key", tx.key());
        }
        node.putRawValue("payload", new RawValue(tx.payload()));
        node.put("signature", tx.signatureBase64());
        return JSON.writeValueAsString(node);
    }

    /** A fresh nonce: the current time in microseconds, unique enough for one client typing commands. */
    static long nonceNow() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
