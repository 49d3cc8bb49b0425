package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.cli.OneReplica;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real replicas on real Tomcat, requests written byte for byte: no spelling of a path gets past
 * closed reads, the body cap, the bad-request rate limit or the peer-certificate check. A spelling
 * is either refused outright (400 problem+json naming the path) or meets the same check as the
 * plain path, or routes nowhere (404/405) without anything being read or served. What Tomcat refuses
 * itself (encoded slashes and backslashes) is refused the same way, as problem+json naming the path.
 */
class PathSpellingHttpTest {
    @TempDir
    static Path closedDir;
    @TempDir
    static Path limitedDir;
    /** TLS (closed reads need it) with reads closed and small body caps; also the peer-certificate check. */
    private static OneReplica closed;
    private static OneReplica limited;

    @BeforeAll
    static void start() {
        // Closed reads keep the actuator off the API port: it gets a port of its own.
        closed = OneReplica.startTls(closedDir, "ledger.api.reads=authenticated", "management.server.port=0",
                "management.server.address=127.0.0.1", "ledger.api.request-body-max-bytes=512",
                "ledger.api.batch-request-body-max-bytes=1024");
        limited = OneReplica.start(limitedDir, "ledger.api.rate-limit.bad-requests-per-second-per-ip=1",
                "ledger.api.rate-limit.bad-requests-burst-per-ip=1");
    }

    @AfterAll
    static void stop() {
        for (OneReplica r : new OneReplica[] {closed, limited}) {
            if (r != null) {
                r.close();
            }
        }
    }

    /** Spellings of {@code path} that a router might take for it (or for something next to it). */
    static List<String> spellings(String path) {
        String[] segments = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            out.add(replace(segments, i, segments[i] + ";x"));
            out.add(replace(segments, i, segments[i] + ";"));
            out.add(replace(segments, i, segments[i] + ";jsessionid=1"));
            out.add(replace(segments, i, String.format("%%%02x", (int) segments[i].charAt(0)) + segments[i].substring(1)));
            out.add(replace(segments, i, String.format("%%%02X", (int) segments[i].charAt(0)) + segments[i].substring(1)));
            out.add(replace(segments, i, segments[i].toUpperCase(Locale.ROOT)));
            out.add(replace(segments, i, segments[i] + "/"));
            out.add(replace(segments, i, segments[i] + "/./").replace("//", "/").replace("/./", "/./"));
            out.add(replace(segments, i, "x/../" + segments[i]));
            out.add(replace(segments, i, "%2e/" + segments[i]));
            out.add(replace(segments, i, "x/%2e%2e/" + segments[i]));
            out.add(replace(segments, i, "/" + segments[i]));
            out.add(replace(segments, i, ";x/" + segments[i]));
        }
        out.add("/" + String.join("%2F", segments));
        out.add("/" + String.join("%2f", segments));
        out.add(path + "/");
        out.add("/." + path);
        out.add("/" + path);
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path + "%3B");
        out.add(path + "%20");
        out.add(path.replace("/", "\\"));
        out.add(path.replace("/", "%5c"));
        out.remove(path);
        return new ArrayList<>(out);
    }

    private static String replace(String[] segments, int i, String with) {
        String[] copy = segments.clone();
        copy[i] = with;
        return "/" + String.join("/", copy);
    }

    static List<String> closedReads() {
        List<String> all = new ArrayList<>();
        for (String p : List.of("/api/v1/consensus", "/api/v1/state/k", "/api/v1/blocks/latest", "/api/v1/membership")) {
            all.addAll(spellings(p));
        }
        return all;
    }

    static List<String> batchSpellings() {
        return spellings("/api/v1/transactions/batch");
    }

    static List<String> submitSpellings() {
        return spellings("/api/v1/transactions");
    }

    static List<String> peerSpellings() {
        List<String> all = new ArrayList<>(spellings("/pbft/messages"));
        all.addAll(spellings("/pbft/blocks"));
        return all;
    }

    private static boolean refusedPath(OneReplica.Raw r) {
        return r.isProblem(ProblemType.INVALID_REQUEST) && r.body().contains("\"detail\":\"request path ");
    }

    private static boolean routedNowhere(OneReplica.Raw r) {
        return r.status() == 404 || r.status() == 405;
    }

    @Test
    void thePlainPathsMeetTheirChecks() throws Exception {
        assertThat(closed.send("GET", "/api/v1/consensus", null).status()).isEqualTo(401);
        assertThat(closed.send("POST", "/api/v1/transactions/batch", "[" + " ".repeat(2000) + "]").status()).isEqualTo(413);
        assertThat(closed.send("POST", "/pbft/messages", "{}").status()).isEqualTo(403);
    }

    @ParameterizedTest(name = "GET {0}")
    @MethodSource("closedReads")
    void noSpellingOfAReadPathGetsPastClosedReads(String path) throws Exception {
        OneReplica.Raw r = closed.send("GET", path, null);

        assertThat(r.status() == 401 || refusedPath(r) || routedNowhere(r))
                .as("GET %s answered %d: %s", path, r.status(), r.body()).isTrue();
    }

    @ParameterizedTest(name = "POST {0}")
    @MethodSource("batchSpellings")
    void noSpellingOfTheBatchPathGetsPastTheBodyCap(String path) throws Exception {
        OneReplica.Raw r = closed.send("POST", path, "[" + " ".repeat(4000) + "]");

        assertThat(r.status() == 413 || refusedPath(r) || routedNowhere(r))
                .as("POST %s answered %d: %s", path, r.status(), r.body()).isTrue();
    }

    @ParameterizedTest(name = "POST {0}")
    @MethodSource("submitSpellings")
    void noSpellingOfTheSubmitPathGetsPastTheRateLimit(String path) throws Exception {
        limited.send("POST", "/api/v1/transactions", "not json");
        OneReplica.Raw r = limited.send("POST", path, "not json");

        assertThat(r.status() == 429 || refusedPath(r) || routedNowhere(r))
                .as("POST %s answered %d: %s", path, r.status(), r.body()).isTrue();
    }

    @ParameterizedTest(name = "POST {0}")
    @MethodSource("peerSpellings")
    void noSpellingOfAPeerPathGetsPastTheCertificateCheck(String path) throws Exception {
        OneReplica.Raw post = closed.send("POST", path, "{}");
        OneReplica.Raw get = closed.send("GET", path + "?from=1&limit=1", null);

        for (OneReplica.Raw r : List.of(post, get)) {
            assertThat(r.status() == 403 || refusedPath(r) || routedNowhere(r))
                    .as("%s answered %d: %s", path, r.status(), r.body()).isTrue();
        }
    }
}
