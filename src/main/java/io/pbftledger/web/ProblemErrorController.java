package io.pbftledger.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page of the servlet container ({@code /error}), in place of Spring Boot's JSON map: an
 * error the container raised for a request it had mapped (TRACE, which it never serves, or an
 * exception no handler turned into an answer) becomes problem+json with a detail from
 * {@link ContainerRefusals}. The application's own refusals never get here: they are written where
 * they are decided. An exception is logged with its stack trace and answered without one.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemErrorController.class);
    /** The method of the request that failed (Servlet 6.1); the error dispatch itself is a GET. */
    static final String ERROR_METHOD = "jakarta.servlet.error.method";

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<byte[]> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            // asked for directly, not as the container's error page
            return problem(HttpStatus.NOT_FOUND.value(), "no endpoint " + request.getMethod() + " " + request.getRequestURI());
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String method = request.getAttribute(ERROR_METHOD) instanceof String m ? m : request.getMethod();
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
            LOG.error("unexpected error answering {} {}", method, uri, failure);
            if (status >= 500) {
                return problem(status, "internal error answering " + method + " " + uri
                        + "; the replica's log has the details");
            }
        }
        return problem(status, ContainerRefusals.detail(status, method, uri == null ? null : uri.toString(),
                message == null ? null : message.toString()));
    }

    private static ResponseEntity<byte[]> problem(int status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemJson.of(status, detail, null).getBytes(StandardCharsets.UTF_8));
    }
}
