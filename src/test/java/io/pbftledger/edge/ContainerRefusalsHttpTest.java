package io.pbftledger.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.cli.OneReplica;
import io.pbftledger.web.ProblemType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Tomcat refuses on its own, before any filter or servlet, on a real replica (raw HTTP): a
 * request target with an encoded slash or backslash, a NUL, a broken escape or a raw backslash, a
 * request head over the size limit, and TRACE. Each is problem+json with a detail that says what
 * was wrong, like every refusal of the application, never Tomcat's HTML page or Spring Boot's map.
 */
@Timeout(120)
class ContainerRefusalsHttpTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    private static OneReplica replica;

    @BeforeAll
    static void start() {
        replica = OneReplica.start(dir);
    }

    @AfterAll
    static void stop() {
        if (replica != null) {
            replica.close();
        }
    }

    private static String detail(OneReplica.Raw r, ProblemType type) {
        assertThat(r.isProblem(type)).as("%d %s%n%s", r.status(), r.head(), r.body()).isTrue();
        return JSON.readTree(r.body()).get("detail").asString();
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/api%2Fv1/consensus", "/api/v1%2fconsensus", "/api%5cv1/consensus", "/api/v1/consensus%00",
            "/api/v1/consensus%zz", "/pbft%2fmessages"})
    void aTargetTomcatRefusesIsAProblemNamingThePath(String target) throws Exception {
        OneReplica.Raw r = replica.send("GET", target, null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(detail(r, ProblemType.INVALID_REQUEST)).startsWith("request path " + target + " is not canonical: ");
    }

    @Test
    void aRawBackslashInTheTargetIsAProblemNamingIt() throws Exception {
        OneReplica.Raw r = replica.send("GET", "/api\\v1\\consensus", null);

        assertThat(r.status()).isEqualTo(400);
        assertThat(detail(r, ProblemType.INVALID_REQUEST)).contains("/api\\v1\\consensus").contains("backslash");
    }

    @Test
    void aRequestHeadOverTheLimitIsAProblemNamingTheSetting() throws Exception {
        OneReplica.Raw r = replica.send("POST", "/api/v1/transactions", "{}", "X-Padding: " + "a".repeat(20_000));

        assertThat(r.status()).isEqualTo(400);
        assertThat(detail(r, ProblemType.INVALID_REQUEST)).contains("request head").contains("server.max-http-request-header-size");
    }

    @ParameterizedTest(name = "TRACE {0}")
    @ValueSource(strings = {"/api/v1/consensus", "/actuator/health", "/pbft/messages"})
    void traceIsAProblemSayingTheMethodIsNotServed(String path) throws Exception {
        OneReplica.Raw r = replica.send("TRACE", path, null);

        assertThat(r.status()).isEqualTo(405);
        assertThat(detail(r, ProblemType.METHOD_NOT_ALLOWED)).isEqualTo("method TRACE is not supported by " + path + " (this server answers TRACE on no path)");
    }
}
