package io.pbftledger.hostile;

import io.pbftledger.chain.Transaction;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A transaction's JSON body as its fields in order, each value raw JSON text, so a generator can
 * mistype, drop, add or repeat one and render the rest exactly as a client would send it.
 */
public final class TxFields {
    private final Map<String, String> fields = new LinkedHashMap<>();

    private TxFields() {
    }

    /** The body of {@code tx} as {@code TransactionJson} writes it. */
    public static TxFields of(Transaction tx) {
        TxFields f = new TxFields();
        f.fields.put("chainId", quote(tx.chainId()));
        f.fields.put("clientId", quote(tx.clientId()));
        f.fields.put("nonce", Long.toString(tx.nonce()));
        if (tx.key() != null) {
            f.fields.put("key", quote(tx.key()));
        }
        f.fields.put("payload", tx.payload());
        f.fields.put("signature", quote(tx.signatureBase64()));
        return f;
    }

    /** Sets (or adds, at the end) {@code name} to the raw JSON {@code rawValue}. */
    public TxFields set(String name, String rawValue) {
        fields.put(name, rawValue);
        return this;
    }

    public TxFields remove(String name) {
        fields.remove(name);
        return this;
    }

    public String get(String name) {
        return fields.get(name);
    }

    /** The object, with {@code duplicate} (a field name) written a second time with {@code rawValue}. */
    public String renderWithDuplicate(String duplicate, String rawValue) {
        String body = render();
        return body.substring(0, body.length() - 1) + ",\"" + duplicate + "\":" + rawValue + "}";
    }

    public String render() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, String> e : fields.entrySet()) {
            sb.append(sb.length() == 1 ? "" : ",").append(quote(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A JSON string literal of {@code s} (ASCII input: only quotes and backslashes are escaped). */
    public static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
