package io.pbftledger.web;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The catalogue of problem kinds: every problem+json answer of a replica, and every problem in a
 * batch result, has the {@code type} of one of these ({@code urn:pbft-ledger:problem:<kind>}), the
 * kind's status and, as {@code title}, that status's reason phrase. The URIs are a public contract:
 * kinds are added, never renamed. README.md, "Errors", lists the same table (a test keeps the two
 * equal). An answer whose status no kind has (a rare refusal of the HTTP server itself, such as 505)
 * has the type {@value #UNTYPED}, which RFC 9457 defines as "the status says it all".
 *
 * <p>Here, in the package every HTTP layer shares, so that the API, the peer transport and the
 * container's error pages all answer from the one catalogue.
 */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", HttpStatus.BAD_REQUEST,
            "The request is malformed: a body, parameter, header or path spelling the endpoint does not take"),
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED,
            "The request needs credentials and has none: a closed read or the chain verification without "
                    + "signed-request headers or client certificate, a peer request without either"),
    INVALID_SIGNATURE("invalid-signature", HttpStatus.UNAUTHORIZED,
            "A signature does not verify, or the signed headers around it are malformed, outside the clock "
                    + "window or replayed: of a transaction, a signed read or a peer request"),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN,
            "The client is known but may not do this: it lacks the role, or nobody may (a certificate that is "
                    + "not a client's, a reserved key or an admin client at the demo signer)"),
    UNKNOWN_CLIENT("unknown-client", HttpStatus.FORBIDDEN,
            "The client is not a member of this ledger, or was revoked"),
    NOT_FOUND("not-found", HttpStatus.NOT_FOUND,
            "No such transaction, block, key, checkpoint or endpoint"),
    METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED,
            "The endpoint does not take this method; the Allow header lists those it takes"),
    NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE,
            "The Accept header allows no media type the endpoint produces"),
    NONCE_REUSED("nonce-reused", HttpStatus.CONFLICT,
            "The client already used this nonce for a different transaction"),
    LENGTH_REQUIRED("length-required", HttpStatus.LENGTH_REQUIRED,
            "A signed peer request has no Content-Length, which its signature covers"),
    PAYLOAD_TOO_LARGE("payload-too-large", HttpStatus.CONTENT_TOO_LARGE,
            "A request body, a batch or a transaction's payload is over its limit"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "The body's Content-Type is missing or not application/json"),
    RATE_LIMITED("rate-limited", HttpStatus.TOO_MANY_REQUESTS,
            "The client, its address or the sending replica is over a limit of its own (requests per second, "
                    + "refused requests, pending transactions, open streams); retry after Retry-After"),
    MEMPOOL_FULL("mempool-full", HttpStatus.TOO_MANY_REQUESTS,
            "This replica holds as many accepted, not yet executed transactions as it admits; retry after "
                    + "Retry-After, or at another replica"),
    OVERLOADED("overloaded", HttpStatus.TOO_MANY_REQUESTS,
            "This replica does as much of this work as it takes at once (consensus queue, commit waiters, "
                    + "block streams, a running chain verification); retry after Retry-After"),
    INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR,
            "The replica failed to answer; its log has the details"),
    UNAVAILABLE("unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "This replica cannot serve the request now (no block yet, shutting down, consensus stopped, "
                    + "request-body memory taken); retry after Retry-After, or at another replica");

    /** What every type URI starts with; the kind follows. */
    public static final String PREFIX = "urn:pbft-ledger:problem:";
    /** The type of an answer whose status no kind has. */
    public static final String UNTYPED = "about:blank";

    private final String kind;
    private final HttpStatus status;
    private final String meaning;

    ProblemType(String kind, HttpStatus status, String meaning) {
        this.kind = kind;
        this.status = status;
        this.meaning = meaning;
    }

    /** {@code urn:pbft-ledger:problem:<kind>}. */
    public String uri() {
        return PREFIX + kind;
    }

    public int status() {
        return status.value();
    }

    /** The {@code title} of every problem of this kind: its status's reason phrase. */
    public String title() {
        return status.getReasonPhrase();
    }

    /** One line: when a replica answers with this kind. */
    public String meaning() {
        return meaning;
    }

    /** A problem of this kind with {@code detail}, for answers written by Spring MVC. */
    public ProblemDetail toProblemDetail(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(uri()));
        return problem;
    }

    /**
     * The kind of an answer of which only the status is known (Spring MVC's and the servlet
     * container's own refusals): the first kind declared with that status, or empty when none has it.
     */
    public static Optional<ProblemType> forStatus(int status) {
        return Arrays.stream(values()).filter(type -> type.status() == status).findFirst();
    }

    /** The type URI of an answer of which only the status is known: its kind's, else {@value #UNTYPED}. */
    public static String uriForStatus(int status) {
        return forStatus(status).map(ProblemType::uri).orElse(UNTYPED);
    }

    /** The kind with this type URI, or empty for {@value #UNTYPED} and URIs of no kind. */
    public static Optional<ProblemType> ofUri(String uri) {
        return Arrays.stream(values()).filter(type -> type.uri().equals(uri)).findFirst();
    }
}
