package io.pbftledger.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemTypeTest {
    @Test
    void everyKindHasItsOwnLowercaseHyphenatedUriAStatusAndOneLine() {
        assertThat(Arrays.stream(ProblemType.values()).map(ProblemType::uri).distinct())
                .hasSize(ProblemType.values().length);
        for (ProblemType type : ProblemType.values()) {
            assertThat(type.uri()).as(type.name()).matches("urn:pbft-ledger:problem:[a-z]+(-[a-z]+)*");
            assertThat(type.uri()).as(type.name())
                    .isEqualTo(ProblemType.PREFIX + type.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            assertThat(type.status()).as(type.name()).isBetween(400, 599);
            assertThat(type.title()).isEqualTo(HttpStatus.valueOf(type.status()).getReasonPhrase());
            assertThat(type.meaning()).as(type.name()).isNotBlank().doesNotContain("\n", "|");
        }
    }

    @Test
    void anAnswerKnownOnlyByItsStatusGetsTheGenericKindOfIt() {
        Map<Integer, ProblemType> expected = Map.ofEntries(
                Map.entry(400, ProblemType.INVALID_REQUEST), Map.entry(401, ProblemType.UNAUTHORIZED),
                Map.entry(403, ProblemType.FORBIDDEN), Map.entry(404, ProblemType.NOT_FOUND),
                Map.entry(405, ProblemType.METHOD_NOT_ALLOWED), Map.entry(406, ProblemType.NOT_ACCEPTABLE),
                Map.entry(413, ProblemType.PAYLOAD_TOO_LARGE), Map.entry(415, ProblemType.UNSUPPORTED_MEDIA_TYPE),
                Map.entry(429, ProblemType.RATE_LIMITED), Map.entry(500, ProblemType.INTERNAL_ERROR),
                Map.entry(503, ProblemType.UNAVAILABLE));
        expected.forEach((status, type) -> {
            assertThat(ProblemType.forStatus(status)).as("%d", status).contains(type);
            assertThat(ProblemType.uriForStatus(status)).isEqualTo(type.uri());
        });
        assertThat(ProblemType.forStatus(505)).isEmpty();
        assertThat(ProblemType.uriForStatus(505)).isEqualTo("about:blank");
    }

    @Test
    void theProblemJsonOfAKindCarriesItsTypeTitleAndStatus() {
        JsonNode problem = JsonMapper.shared().readTree(ProblemJson.of(ProblemType.MEMPOOL_FULL, "full", "/api/v1/transactions"));

        assertThat(problem.get("type").asString()).isEqualTo("urn:pbft-ledger:problem:mempool-full");
        assertThat(problem.get("title").asString()).isEqualTo("Too Many Requests");
        assertThat(problem.get("status").asInt()).isEqualTo(429);
        assertThat(problem.get("detail").asString()).isEqualTo("full");
        assertThat(problem.get("instance").asString()).isEqualTo("/api/v1/transactions");
    }

    @Test
    void theProblemJsonOfAStatusWithoutAKindIsAboutBlank() {
        JsonNode problem = JsonMapper.shared().readTree(ProblemJson.of(505, "HTTP/2.5 is not supported", null));

        assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        assertThat(problem.get("title").asString()).isEqualTo("HTTP Version not supported");
        assertThat(problem.has("instance")).isFalse();
    }
}
