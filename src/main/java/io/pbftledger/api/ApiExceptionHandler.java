package io.pbftledger.api;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.node.RateLimitedException;
import io.pbftledger.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into {@code application/problem+json} (RFC 9457) with a {@link ProblemType},
 * a one-line detail and never a stack trace. {@link LedgerException}s map to kinds here and only
 * here ({@link #typeOf}); Spring MVC's own errors (405, 406, 415, missing or mistyped parameters,
 * unreadable bodies, unknown paths) get the kind of their status and details from
 * {@link SpringErrorDetails}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** The one mapping of refusals to problem kinds (and so to HTTP statuses). */
    static ProblemType typeOf(LedgerException e) {
        if (e instanceof UnknownClientException) {
            return ProblemType.UNKNOWN_CLIENT;
        }
        if (e instanceof RateLimitedException limited) {
            return switch (limited.scope()) {
                case CLIENT -> ProblemType.RATE_LIMITED;
                case MEMPOOL -> ProblemType.MEMPOOL_FULL;
                case REPLICA -> ProblemType.OVERLOADED;
            };
        }
        return switch (e.kind()) {
            case INVALID -> ProblemType.INVALID_REQUEST;
            case BAD_SIGNATURE -> ProblemType.INVALID_SIGNATURE;
            case FORBIDDEN -> ProblemType.FORBIDDEN;
            case NOT_FOUND -> ProblemType.NOT_FOUND;
            case CONFLICT -> ProblemType.NONCE_REUSED;
            case TOO_LARGE -> ProblemType.PAYLOAD_TOO_LARGE;
            case OVERLOADED -> ProblemType.OVERLOADED;
            case UNAVAILABLE -> ProblemType.UNAVAILABLE;
        };
    }

    /** The problem a refusal becomes inside a batch result. */
    static Problem problemOf(LedgerException e) {
        return Problem.of(typeOf(e), e.getMessage());
    }

    /** Whether an answer of this status tells the client to come back: with a Retry-After. */
    static boolean retryLater(int status) {
        return status == HttpStatus.TOO_MANY_REQUESTS.value() || status == HttpStatus.SERVICE_UNAVAILABLE.value();
    }

    @ExceptionHandler(LedgerException.class)
    ResponseEntity<ProblemDetail> ledgerException(LedgerException e, HttpServletRequest request) {
        if (request.getAttribute(BadRequestRateLimitFilter.LIMITED_ATTRIBUTE) instanceof BadRequestRateLimitFilter.Limited
                limited && unauthenticated(e.kind())) {
            return addressLimited(limited);
        }
        ProblemType type = typeOf(e);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryLater(type.status())) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(ApiLimits.retryAfterSeconds(e)));
        }
        return response.body(type.toProblemDetail(e.getMessage()));
    }

    /** Refusals that come before (or instead of) a verified client signature. */
    private static boolean unauthenticated(ErrorKind kind) {
        return kind == ErrorKind.INVALID || kind == ErrorKind.BAD_SIGNATURE || kind == ErrorKind.FORBIDDEN
                || kind == ErrorKind.TOO_LARGE || kind == ErrorKind.NOT_FOUND;
    }

    /**
     * A submission from an address whose bad-request bucket is empty, refused: it gets the address's
     * 429 (what every other request from there gets), not the refusal's detail.
     */
    private static ResponseEntity<ProblemDetail> addressLimited(BadRequestRateLimitFilter.Limited limited) {
        ProblemType type = ProblemType.RATE_LIMITED;
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()))
                .body(type.toProblemDetail(limited.detail()));
    }

    /** A bug, not a client error: logged with its stack trace, answered without one. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        LOG.error("unexpected error answering an API request", e);
        ProblemType type = ProblemType.INTERNAL_ERROR;
        return ResponseEntity.status(type.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(type.toProblemDetail(Problem.INTERNAL_ERROR_DETAIL));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode statusCode, WebRequest request) {
        if (request.getAttribute(BadRequestRateLimitFilter.LIMITED_ATTRIBUTE, WebRequest.SCOPE_REQUEST)
                instanceof BadRequestRateLimitFilter.Limited limited && BadRequestRateLimitFilter.isRefusal(statusCode.value())) {
            ResponseEntity<ProblemDetail> answer = addressLimited(limited);
            return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).body(answer.getBody());
        }
        ProblemDetail problem = body instanceof ProblemDetail p ? p : ProblemDetail.forStatus(statusCode);
        problem.setType(URI.create(ProblemType.uriForStatus(statusCode.value())));
        problem.setDetail(SpringErrorDetails.describe(ex, problem.getDetail()));
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (retryLater(statusCode.value()) && !out.containsHeader(HttpHeaders.RETRY_AFTER)) {
            out.set(HttpHeaders.RETRY_AFTER, Integer.toString(ApiLimits.RETRY_AFTER_SECONDS));
        }
        return super.handleExceptionInternal(ex, problem, out, statusCode, request);
    }
}
