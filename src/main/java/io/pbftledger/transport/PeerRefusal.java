package io.pbftledger.transport;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * Why {@code POST /pbft/messages} refuses a request: an RFC 9457 problem with a precise detail, the
 * drop counter it adds to, and headers (WWW-Authenticate, Retry-After). When the body was not read,
 * the answer closes the connection: whatever of the body follows is discarded, never buffered.
 */
record PeerRefusal(HttpStatus status, String detail, String dropReason, Map<String, String> headers) {
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String OVERSIZED_BODY = "oversized_body";
    static final String OVER_IN_FLIGHT = "over_budget_in_flight";
    static final String OVER_IN_FLIGHT_ALL_PEERS = "over_in_flight_all_peers";
    static final String MALFORMED = "malformed";
    static final String WRONG_KIND = "wrong_kind";

    static PeerRefusal unauthenticated(String detail) {
        return new PeerRefusal(HttpStatus.UNAUTHORIZED, detail, UNAUTHENTICATED,
                Map.of("WWW-Authenticate", PeerRequestSignature.DOMAIN));
    }

    static PeerRefusal of(HttpStatus status, String detail, String dropReason) {
        return new PeerRefusal(status, detail, dropReason, Map.of());
    }

    /**
     * The answer, with a Content-Length: when the connection closes after it, the client still knows
     * where the problem ends before the replica stops discarding the rest of the body.
     */
    ResponseEntity<byte[]> response(boolean bodyUnread) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", PeerChannel.PATH);
        byte[] json = JsonMapper.shared().writeValueAsBytes(problem);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .contentLength(json.length);
        headers.forEach((name, value) -> builder.header(name, value));
        if (bodyUnread) {
            builder.header("Connection", "close");
        }
        return builder.body(json);
    }
}
