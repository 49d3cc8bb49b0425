package io.pbftledger.hostile;

import java.util.Locale;
import java.util.Map;

/** An HTTP answer as it came off the wire: status, headers (names lower-cased, first value) and body. */
public record Answer(int status, Map<String, String> headers, String body) {
    public Answer {
        headers = Map.copyOf(headers);
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public boolean isProblem() {
        String type = header("content-type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/problem+json");
    }

    /** The start of the body, for messages. */
    public String brief() {
        String b = body.replace("\r", "").replace("\n", " ");
        return b.length() <= 300 ? b : b.substring(0, 300) + "...";
    }
}
