package io.pbftledger.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.json.JsonMapper;

/** An RFC 9457 problem (type about:blank, the status's reason as title) as JSON text, for answers written outside Spring MVC. */
public final class ProblemJson {
    public static final String MEDIA_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    /** {@code {"type","title","status","detail"[,"instance"]}}; {@code instance} is left out when null. */
    public static String of(int status, String detail, String instance) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error " + status : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        return JsonMapper.shared().writeValueAsString(problem);
    }
}
