package io.pbftledger.client;

import io.pbftledger.chain.ReplicaRoster;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** A replica endpoint the client talks to: a member replica, or a URL given instead (e.g. a load balancer). */
record Target(String label, String baseUrl) {

    static Target of(ReplicaRoster.Member replica) {
        return new Target("replica " + replica.id(), trim(replica.url()));
    }

    /** The node as given: named after the set's replica when it is one, else after its URL. */
    static Target of(String url, List<ReplicaRoster.Member> replicas) {
        String trimmed = trim(url);
        for (ReplicaRoster.Member replica : replicas) {
            if (trim(replica.url()).equals(trimmed)) {
                return of(replica);
            }
        }
        return new Target(trimmed, trimmed);
    }

    /** {@code first}, then every replica of the set that is not {@code first}, in id order. */
    static List<Target> all(Target first, List<ReplicaRoster.Member> replicas) {
        List<Target> out = new ArrayList<>();
        out.add(first);
        for (ReplicaRoster.Member replica : replicas) {
            Target t = of(replica);
            if (!t.baseUrl().equals(first.baseUrl())) {
                out.add(t);
            }
        }
        return out;
    }

    URI uri(String path) {
        try {
            URI uri = URI.create(baseUrl + path);
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new LedgerClientException("'" + baseUrl + "' is not an http(s) URL such as http://127.0.0.1:8080");
        }
    }

    private static String trim(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
