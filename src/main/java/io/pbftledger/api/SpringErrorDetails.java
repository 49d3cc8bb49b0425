package io.pbftledger.api;

import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingPathVariableException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** One-line, client-facing details for the exceptions Spring MVC raises before a controller runs. */
final class SpringErrorDetails {
    private SpringErrorDetails() {
    }

    static String describe(Exception ex, String fallback) {
        if (ex instanceof HttpRequestMethodNotSupportedException e) {
            return "method " + e.getMethod() + " is not supported here; allowed: " + methods(e.getSupportedHttpMethods());
        }
        if (ex instanceof HttpMediaTypeNotSupportedException e) {
            return e.getContentType() == null
                    ? "a Content-Type header is required; use " + MediaType.APPLICATION_JSON_VALUE
                    : "content type '" + e.getContentType() + "' is not supported; use " + MediaType.APPLICATION_JSON_VALUE;
        }
        if (ex instanceof HttpMediaTypeNotAcceptableException) {
            return "the Accept header allows no type this endpoint produces; accept " + MediaType.APPLICATION_JSON_VALUE;
        }
        if (ex instanceof MissingServletRequestParameterException e) {
            return "query parameter '" + e.getParameterName() + "' is required";
        }
        if (ex instanceof MissingPathVariableException e) {
            return "path variable '" + e.getVariableName() + "' is required";
        }
        if (ex instanceof MethodArgumentTypeMismatchException e) {
            return kindOf(e.getParameter()) + " '" + e.getName() + "' must be " + expected(e.getRequiredType())
                    + ", got '" + ApiInputs.abbreviate(String.valueOf(e.getValue())) + "'";
        }
        if (ex instanceof TypeMismatchException e) {
            return "'" + e.getPropertyName() + "' must be " + expected(e.getRequiredType());
        }
        if (ex instanceof HttpMessageNotReadableException e) {
            String message = e.getMessage();
            return message != null && message.startsWith("Required request body is missing")
                    ? "a request body is required" : "the request body is not readable";
        }
        if (ex instanceof NoResourceFoundException e) {
            return "no endpoint " + e.getHttpMethod() + " /" + e.getResourcePath();
        }
        if (ex instanceof AsyncRequestTimeoutException) {
            return "the request timed out; retry later";
        }
        return fallback == null ? "the request failed" : fallback;
    }

    private static String kindOf(MethodParameter parameter) {
        return parameter.hasParameterAnnotation(PathVariable.class) ? "path variable" : "query parameter";
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "an integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return "a valid " + type.getSimpleName();
    }

    private static String methods(Set<HttpMethod> methods) {
        if (methods == null || methods.isEmpty()) {
            return "none";
        }
        return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
    }
}
