package io.pbftledger.api;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import jakarta.servlet.http.HttpServletRequest;
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
 * Turns every failure into {@code application/problem+json} (RFC 9457) with a one-line detail and
 * never a stack trace. {@link LedgerException}s map by kind, here and only here; Spring MVC's own
 * errors (405, 415, missing or mistyped parameters, unknown paths) get details from
 * {@link SpringErrorDetails}.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiExceptionHandler.class);

    /** The one mapping of refusal kinds to HTTP statuses. */
    static HttpStatus statusOf(ErrorKind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.BAD_REQUEST;
            case BAD_SIGNATURE -> HttpStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case OVERLOADED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }

    /** The problem a refusal becomes inside a batch result. */
    static Problem problemOf(LedgerException e) {
        HttpStatus status = statusOf(e.kind());
        return new Problem("about:blank", status.getReasonPhrase(), status.value(), e.getMessage());
    }

    @ExceptionHandler(LedgerException.class)
    ResponseEntity<ProblemDetail> ledgerException(LedgerException e, HttpServletRequest request) {
        if (request.getAttribute(BadRequestRateLimitFilter.LIMITED_ATTRIBUTE) instanceof BadRequestRateLimitFilter.Limited
                limited && unauthenticated(e.kind())) {
            return addressLimited(limited);
        }
        HttpStatus status = statusOf(e.kind());
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.TOO_MANY_REQUESTS || status == HttpStatus.SERVICE_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(ApiLimits.retryAfterSeconds(e)));
        }
        return response.body(ProblemDetail.forStatusAndDetail(status, e.getMessage()));
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
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()))
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, limited.detail()));
    }

    /** A bug, not a client error: logged with its stack trace, answered without one. */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        LOG.error("unexpected error answering an API request", e);
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal error; the replica's log has the details"));
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
        problem.setDetail(SpringErrorDetails.describe(ex, problem.getDetail()));
        HttpHeaders out = new HttpHeaders();
        out.addAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, problem, out, statusCode, request);
    }
}
