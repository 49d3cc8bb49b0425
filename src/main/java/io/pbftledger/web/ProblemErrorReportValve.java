package io.pbftledger.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Tomcat's error report, as problem+json instead of its HTML page: what the container answers on its
 * own, before any filter or servlet (a request target it refuses, a request head over its limit),
 * gets the same kind of answer as every refusal of the application, with a detail from
 * {@link ContainerRefusals}. Answers the application wrote itself are left alone, as by the valve it
 * replaces.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {
    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        String message = response.getMessage();
        if ((message == null || message.isBlank()) && throwable != null) {
            message = throwable.getMessage();
        }
        String detail = ContainerRefusals.detail(status, method(request), request.getRequestURI(), message);
        try {
            response.setContentType(ProblemJson.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ProblemJson.of(status, detail, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone, or the answer already committed: nothing more to tell
        }
    }

    private static String method(Request request) {
        String method = request.getMethod();
        return method == null || method.isEmpty() ? null : method;
    }
}
