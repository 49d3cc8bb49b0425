package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Spellings of protected paths that a router, a filter and the container might each read
 * differently: {@code ;} parameters in each segment, percent-encoded letters, slashes, dots and
 * backslashes, {@code //}, {@code /./}, {@code /../}, a trailing {@code /}, upper case, raw
 * backslashes, NUL and broken escapes. Aimed at the closed reads (no credentials), the admin-only
 * chain verification (no credentials, and signed by a client without the admin role), the peer
 * endpoints (no certificate, and a client's certificate) and the body caps (a body announced over
 * the cap). None may be served: each is refused (a non-canonical path, the check the plain path
 * meets, or no such endpoint), with problem+json.
 */
public final class PathTricks implements RequestSource {
    /** What a closed read without credentials is told. */
    private static final String SIGN = "sign the request";
    /** A protected request: method, path, query, what it announces as body, what it presents. */
    private record Aim(String name, String method, String path, String query, Body body, String certificate,
                       ClientIdentity signer, Map<Integer, String> refusals) {
        /** The refusal of the plain path, beside a non-canonical path (400), no such endpoint (404) or method (405). */
        Aim(String name, String method, String path, String query, Body body, String certificate, ClientIdentity signer,
            int status, String fragment) {
            this(name, method, path, query, body, certificate, signer, Map.of(400, "request path", 404, "no endpoint",
                    405, "method", status, fragment));
        }
    }

    @Override
    public Kind kind() {
        return Kind.PATH_TRICK;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        String txId = target.originals().get(0).txId().hex();
        ClientIdentity reader = target.client("client-1");
        Body overSingle = Body.declared(Body.JSON, OversizedBodies.SINGLE_CAP + 1, "{\"chainId\":".getBytes());
        Body overBatch = Body.declared(Body.JSON, OversizedBodies.BATCH_CAP + 1, "[{\"chainId\":".getBytes());
        List<Aim> aims = List.of(
                new Aim("closed read", "GET", "/api/v1/consensus", "", null, null, null, 401, SIGN),
                new Aim("closed read", "GET", "/api/v1/state/hostile-1", "", null, null, null, 401, SIGN),
                new Aim("closed read", "GET", "/api/v1/blocks/latest", "", null, null, null, 401, SIGN),
                new Aim("closed read", "GET", "/api/v1/membership", "", null, null, null, 401, SIGN),
                new Aim("closed read", "GET", "/api/v1/transactions/" + txId, "", null, null, null, 401, SIGN),
                new Aim("closed read", "GET", "/api/v1/checkpoints/latest", "", null, null, null, 401, SIGN),
                new Aim("admin read", "GET", "/api/v1/chain/verify", "", null, null, null, 401, SIGN),
                new Aim("admin read by a non-admin", "GET", "/api/v1/chain/verify", "", null, null, reader, 403,
                        "lacks the admin role"),
                new Aim("peer messages", "POST", "/pbft/messages", "", Body.of(Body.OCTETS, new byte[] {0, 0, 0, 0}), null, null,
                        403, "client certificate"),
                new Aim("peer messages by a client", "POST", "/pbft/messages", "", Body.of(Body.OCTETS, new byte[] {0, 0, 0, 0}),
                        "client-1", null, 403, "only replicas"),
                new Aim("peer page", "GET", "/pbft/blocks", "?from=0&limit=1", null, null, null, 403, "client certificate"),
                new Aim("peer page", "GET", "/pbft/checkpoint", "", null, null, null, 403, "client certificate"),
                new Aim("body cap", "POST", "/api/v1/transactions", "", overSingle, null, null, 413, "exceeds the limit"),
                new Aim("body cap", "POST", "/api/v1/transactions/batch", "", overBatch, null, null, 413,
                        "exceeds the limit"));
        List<HostileRequest> all = new ArrayList<>();
        for (Aim aim : aims) {
            for (String spelled : spellings(aim.path())) {
                String rawTarget = spelled + aim.query();
                HostileRequest r = HostileRequest.of(Kind.PATH_TRICK, aim.name(), aim.method(), rawTarget, aim.body(),
                        Expect.refusedAnyOf(aim.refusals()));
                if (aim.certificate() != null) {
                    r = r.withCertificate(aim.certificate());
                }
                if (aim.signer() != null) {
                    r = r.withHeaders(target.signedRead(aim.signer(), aim.method(), rawTarget));
                }
                all.add(r);
            }
        }
        Collections.shuffle(all, random);
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(all.get(i % all.size()));
        }
        return out;
    }

    /** Spellings of {@code path} other than itself. */
    static List<String> spellings(String path) {
        String[] segments = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            out.add(replace(segments, i, s + ";x"));
            out.add(replace(segments, i, s + ";"));
            out.add(replace(segments, i, s + ";jsessionid=1"));
            out.add(replace(segments, i, ";x/" + s));
            out.add(replace(segments, i, String.format("%%%02x", (int) s.charAt(0)) + s.substring(1)));
            out.add(replace(segments, i, String.format("%%%02X", (int) s.charAt(0)) + s.substring(1)));
            out.add(replace(segments, i, s.toUpperCase(Locale.ROOT)));
            out.add(replace(segments, i, s + "/"));
            out.add(replace(segments, i, s + "/."));
            out.add(replace(segments, i, "./" + s));
            out.add(replace(segments, i, "x/../" + s));
            out.add(replace(segments, i, "%2e/" + s));
            out.add(replace(segments, i, "x/%2e%2e/" + s));
            out.add(replace(segments, i, "/" + s));
            out.add(replace(segments, i, s + "%2f"));
            out.add(replace(segments, i, s + "%00"));
            out.add(replace(segments, i, s + "%zz"));
        }
        out.add("/" + String.join("%2F", segments));
        out.add("/" + String.join("%2f", segments));
        out.add("/" + String.join("%5c", segments));
        out.add("/" + String.join("\\", segments));
        out.add(path + "/");
        out.add(path + "//");
        out.add("/." + path);
        out.add("/" + path);
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path + "%3B");
        out.add(path + "%20");
        out.add(path + "/..");
        out.add(path + "/%2e%2e");
        out.remove(path);
        return new ArrayList<>(out);
    }

    private static String replace(String[] segments, int i, String with) {
        String[] copy = segments.clone();
        copy[i] = with;
        return "/" + String.join("/", copy);
    }
}
