package io.pbftledger.hostile;

import io.pbftledger.web.ProblemType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Judges an answer against its request's expectation: the status must be an expected one; every
 * refusal (4xx, 5xx) must be {@code application/problem+json} whose {@code status} is the answer's,
 * whose {@code type} is a kind of that status ({@link ProblemType}) and whose {@code detail} is precise (not empty, not the reason phrase, not a catch-all, and naming
 * what the expectation says was wrong); in a batch's 200, so must every refused item's problem.
 * A HEAD answer has no body: its Content-Type alone is checked.
 */
public final class AnswerCheck {
    /** Details that say nothing about what was wrong. */
    static final Set<String> CATCH_ALLS = Set.of("the request failed", "the request body is not readable",
            "internal error; the replica's log has the details", "failed to read request", "invalid request content.",
            "invalid request content", "bad request", "request failed", "error", "unknown error");
    /** Shortest detail that can name a field or limit and what is wrong with it. */
    static final int DETAIL_MIN_CHARS = 16;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnswerCheck() {
    }

    /** What is wrong with {@code answer} to {@code request}; empty when nothing is. */
    public static List<String> violations(HostileRequest request, Answer answer) {
        List<String> out = new ArrayList<>();
        if (!request.expect().statuses().contains(answer.status())) {
            out.add("status " + answer.status() + ", expected one of " + request.expect().statuses());
        }
        if (answer.status() >= 400) {
            out.addAll(refusal(request, answer));
        } else if (answer.status() == 200 && request.target().startsWith(MalformedBodies.BATCH)
                && request.method().equals("POST")) {
            out.addAll(batchItems(request, answer));
        }
        return out;
    }

    private static List<String> refusal(HostileRequest request, Answer answer) {
        List<String> out = new ArrayList<>();
        if (!answer.isProblem()) {
            out.add("refusal " + answer.status() + " is " + answer.header("content-type") + ", not application/problem+json: "
                    + answer.brief());
            return out;
        }
        if (request.method().equals("HEAD")) {
            return out;
        }
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            out.add("problem+json body is not JSON: " + answer.brief());
            return out;
        }
        if (!problem.path("status").isInt() || problem.path("status").asInt() != answer.status()) {
            out.add("problem status " + problem.path("status") + " is not the answer's " + answer.status());
        }
        out.addAll(detail(request.expect(), answer.status(), problem, ""));
        return out;
    }

    private static List<String> batchItems(HostileRequest request, Answer answer) {
        List<String> out = new ArrayList<>();
        JsonNode items;
        try {
            items = JSON.readTree(answer.body());
        } catch (RuntimeException e) {
            return List.of("batch answer is not JSON: " + answer.brief());
        }
        if (!items.isArray()) {
            return List.of("batch answer is not an array: " + answer.brief());
        }
        for (JsonNode item : items) {
            JsonNode problem = item.get("problem");
            if (problem != null && !problem.isNull() && !request.stores().isEmpty()) {
                out.add("item " + item.path("index") + " of valid transactions was refused: " + item);
            } else if (problem != null && !problem.isNull()) {
                out.addAll(detail(request.expect(), problem.path("status").asInt(), problem, "item " + item.path("index") + ": "));
            } else if (!request.stores().isEmpty() || request.kind() == Kind.REPLAYED) {
                continue;
            } else if (!request.expect().detailFragments().isEmpty()) {
                out.add("item " + item.path("index") + " was not refused: " + item);
            }
        }
        return out;
    }

    private static List<String> detail(Expect expect, int status, JsonNode problem, String where) {
        List<String> out = new ArrayList<>(type(status, problem, where));
        String detail = problem.path("detail").isString() ? problem.path("detail").asString() : null;
        String reason = reasonPhrase(status);
        if (detail == null || detail.isBlank()) {
            out.add(where + "problem without a detail: " + problem);
            return out;
        }
        String lower = detail.strip().toLowerCase(Locale.ROOT);
        if (lower.equals(reason.toLowerCase(Locale.ROOT)) || lower.equals(problem.path("title").asString("").toLowerCase(Locale.ROOT))
                || CATCH_ALLS.contains(lower) || detail.strip().length() < DETAIL_MIN_CHARS) {
            out.add(where + "vague detail '" + detail + "'");
        }
        if (detail.contains("\n")) {
            out.add(where + "detail of more than one line: '" + detail + "'");
        }
        List<String> missing = expect.missingFrom(status, detail);
        if (!missing.isEmpty()) {
            out.add(where + "detail '" + detail + "' does not name " + missing);
        }
        return out;
    }

    /** The type must be one of the catalogue's kinds with this status, or about:blank for a status no kind has. */
    private static List<String> type(int status, JsonNode problem, String where) {
        String type = problem.path("type").asString("");
        Optional<ProblemType> kind = ProblemType.ofUri(type);
        boolean known = ProblemType.forStatus(status).isPresent();
        if (kind.isPresent() ? kind.get().status() == status : !known && ProblemType.UNTYPED.equals(type)) {
            return List.of();
        }
        return List.of(where + "problem type '" + type + "' is not a kind of status " + status);
    }

    private static String reasonPhrase(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return known == null ? "" : known.getReasonPhrase();
    }
}
