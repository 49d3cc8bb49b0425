package io.pbftledger.client;

import io.pbftledger.chain.Transaction;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/** A signed transaction as the REST body of {@code POST /api/v1/transactions}. */
public final class TransactionBody {

    private TransactionBody() {
    }

    /**
     * {@code {"chainId","clientId","nonce","key"?,"payload","signature"}}; the payload is embedded as its
     * canonical JSON text, byte for byte what was signed. A null key is left out.
     */
    public static String json(Transaction tx) {
        ObjectNode node = ReplicaHttp.JSON.createObjectNode();
        node.put("chainId", tx.chainId());
        node.put("clientId", tx.clientId());
        node.put("nonce", tx.nonce());
        if (tx.key() != null) {
            node.put("key", tx.key());
        }
        node.putRawValue("payload", new RawValue(tx.payload()));
        node.put("signature", tx.signatureBase64());
        return ReplicaHttp.JSON.writeValueAsString(node);
    }
}
