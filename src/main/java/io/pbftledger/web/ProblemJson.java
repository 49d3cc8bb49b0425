package io.pbftledger.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** An RFC 9457 problem ({@link ProblemType}'s type, the status's reason as title) as JSON text, for answers written outside Spring MVC. */
public final class ProblemJson {
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    /** {@code {"type","title","status","detail"[,"instance"]}} of a kind; {@code instance} is left out when null. */
    public static String of(ProblemType type, String detail, String instance) {
        return json(type.uri(), type.title(), type.status(), detail, instance);
    }

    /** As {@link #of(ProblemType, String, String)}, for an answer of which only the status is known. */
    public static String of(int status, String detail, String instance) {
        HttpStatus known = HttpStatus.resolve(status);
        return json(ProblemType.uriForStatus(status), known == null ? "Error " + status : known.getReasonPhrase(),
                status, detail, instance);
    }

    /**
     * Answers with a problem of {@code type}: its status, this media type and the JSON. Headers the
     * answer needs besides (Retry-After, Connection) are set by the caller, before.
     */
    public static void write(HttpServletResponse response, ProblemType type, String detail, String instance)
            throws IOException {
        response.setStatus(type.status());
        response.setContentType(MEDIA_TYPE);
        response.getOutputStream().write(of(type, detail, instance).getBytes(StandardCharsets.UTF_8));
    }

    private static String json(String type, String title, int status, String detail, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", type);
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        return JsonMapper.shared().writeValueAsString(problem);
    }
}
