package io.pbftledger.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Methods an endpoint does not serve: writes to read endpoints, reads of write endpoints, PUT, PATCH,
 * DELETE, TRACE, made-up and WebDAV methods, on the API, the admin read, the peer endpoints and the
 * probes. Each is refused: 405 naming the method, or the check the path meets first (closed reads,
 * the peer certificate); HEAD of a closed read is refused like its GET, without a body.
 */
public final class WrongMethods implements RequestSource {
    private static final List<String> METHODS = List.of("PUT", "DELETE", "PATCH", "TRACE", "FOO", "PROPFIND", "POST", "GET", "HEAD");

    /** A path and the methods it serves. */
    private record Endpoint(String path, List<String> serves) {
    }

    @Override
    public Kind kind() {
        return Kind.WRONG_METHOD;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        String txId = target.originals().get(0).txId().hex();
        List<Endpoint> endpoints = List.of(new Endpoint("/api/v1/transactions", List.of("POST")),
                new Endpoint("/api/v1/transactions/batch", List.of("POST")),
                new Endpoint("/api/v1/transactions/" + txId, List.of("GET", "HEAD")),
                new Endpoint("/api/v1/blocks/latest", List.of("GET", "HEAD")),
                new Endpoint("/api/v1/consensus", List.of("GET", "HEAD")),
                new Endpoint("/api/v1/state/hostile-2", List.of("GET", "HEAD")),
                new Endpoint("/api/v1/membership", List.of("GET", "HEAD")),
                new Endpoint("/api/v1/chain/verify", List.of("GET", "HEAD")),
                new Endpoint("/pbft/messages", List.of("POST")),
                new Endpoint("/pbft/blocks?from=0&limit=1", List.of("GET", "HEAD")),
                new Endpoint("/actuator/health", List.of("GET", "HEAD")),
                new Endpoint("/actuator/prometheus", List.of("GET", "HEAD")));
        List<HostileRequest> out = new ArrayList<>(count);
        while (out.size() < count) {
            Endpoint e = endpoints.get(random.nextInt(endpoints.size()));
            String method = METHODS.get(random.nextInt(METHODS.size()));
            if (e.serves().contains(method)) {
                continue;
            }
            Body body = switch (method) {
                case "POST", "PUT", "PATCH" -> Body.json("{\"op\":\"" + method.toLowerCase() + "\"}");
                default -> null;
            };
            // A closed read answers 401 before the method is looked at; the peer endpoints 403 without a certificate.
            out.add(HostileRequest.of(Kind.WRONG_METHOD, method + " " + e.path().replaceAll("[0-9a-f]{64}", "{txId}"), method,
                    e.path(), body, Expect.refusedAnyOf(Map.of(401, "sign the request", 403, "certificate", 404, "no endpoint",
                            405, "method " + method, 415, "content type"))));
        }
        return out;
    }
}
