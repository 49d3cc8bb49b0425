package io.pbftledger.transport;

import io.pbftledger.web.ProblemJson;
import io.pbftledger.web.ProblemType;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Why {@code POST /pbft/messages} refuses a request: an RFC 9457 problem of a {@link ProblemType}
 * with a precise detail, the drop counter it adds to, and headers (WWW-Authenticate, Retry-After).
 * When the body was not read, the answer closes the connection: whatever of the body follows is
 * discarded, never buffered.
 */
record PeerRefusal(ProblemType type, String detail, String dropReason, Map<String, String> headers) {
    static final String UNAUTHENTICATED = "unauthenticated";
    static final String OVERSIZED_BODY = "oversized_body";
    static final String OVER_IN_FLIGHT = "over_budget_in_flight";
    static final String OVER_IN_FLIGHT_ALL_PEERS = "over_in_flight_all_peers";
    static final String MALFORMED = "malformed";
    static final String WRONG_KIND = "wrong_kind";

    /** A request with neither a replica's certificate nor the signed headers. */
    static PeerRefusal unauthenticated(String detail) {
        return authentication(ProblemType.UNAUTHORIZED, detail);
    }

    /** Signed headers that do not prove a replica: malformed, not verifying, stale or replayed. */
    static PeerRefusal badSignature(String detail) {
        return authentication(ProblemType.INVALID_SIGNATURE, detail);
    }

    private static PeerRefusal authentication(ProblemType type, String detail) {
        return new PeerRefusal(type, detail, UNAUTHENTICATED, Map.of("WWW-Authenticate", PeerRequestSignature.DOMAIN));
    }

    static PeerRefusal of(ProblemType type, String detail, String dropReason) {
        return new PeerRefusal(type, detail, dropReason, Map.of());
    }

    /** Asks the sender to come back after a second (Retry-After). */
    static PeerRefusal retryLater(ProblemType type, String detail, String dropReason) {
        return new PeerRefusal(type, detail, dropReason, Map.of("Retry-After", "1"));
    }

    /**
     * The answer, with a Content-Length: when the connection closes after it, the client still knows
     * where the problem ends before the replica stops discarding the rest of the body.
     */
    ResponseEntity<byte[]> response(boolean bodyUnread) {
        byte[] json = ProblemJson.of(type, detail, PeerChannel.PATH).getBytes(StandardCharsets.UTF_8);
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .contentLength(json.length);
        headers.forEach((name, value) -> builder.header(name, value));
        if (bodyUnread) {
            builder.header("Connection", "close");
        }
        return builder.body(json);
    }
}
