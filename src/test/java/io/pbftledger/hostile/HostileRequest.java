package io.pbftledger.hostile;

import java.util.List;

/**
 * One generated request, written byte for byte: {@code method} and the raw {@code target} (path and
 * query exactly as spelled), extra header lines, an optional body, and the TLS client certificate it
 * presents ({@code tls/<certificate>.crt} of keygen --tls; null: none). It is sent {@code copies}
 * times in a row (a replay within moments). {@code stores} are the txIds of valid transactions it
 * carries: accepted, they must end up in the chain exactly once.
 */
public record HostileRequest(Kind kind, String label, String method, String target, List<String> headers, Body body,
                             String certificate, Expect expect, int copies, List<String> stores) {
    public HostileRequest {
        if (kind == null || label == null || method == null || target == null || expect == null) {
            throw new IllegalArgumentException("kind, label, method, target and expect are required");
        }
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be at least 1");
        }
        headers = List.copyOf(headers);
        stores = List.copyOf(stores);
    }

    /** A request without extra headers or certificate, sent once, storing nothing. */
    public static HostileRequest of(Kind kind, String label, String method, String target, Body body, Expect expect) {
        return new HostileRequest(kind, label, method, target, List.of(), body, null, expect, 1, List.of());
    }

    public HostileRequest withHeaders(List<String> more) {
        List<String> all = new java.util.ArrayList<>(headers);
        all.addAll(more);
        return new HostileRequest(kind, label, method, target, all, body, certificate, expect, copies, stores);
    }

    public HostileRequest withCertificate(String name) {
        return new HostileRequest(kind, label, method, target, headers, body, name, expect, copies, stores);
    }

    public HostileRequest withCopies(int n) {
        return new HostileRequest(kind, label, method, target, headers, body, certificate, expect, n, stores);
    }

    public HostileRequest storing(List<String> txIds) {
        return new HostileRequest(kind, label, method, target, headers, body, certificate, expect, copies, txIds);
    }

    @Override
    public String toString() {
        return kind.label() + " [" + label + "] " + method + " " + (target.length() <= 120 ? target : target.substring(0, 120) + "...");
    }
}
