package io.pbftledger.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Map;

/**
 * The error responses of the OpenAPI document, so the controllers declare only what is particular
 * to them (a status and when it happens) and the rest is the same everywhere: every operation
 * declares what any API request can get (400 for a malformed request or path spelling, 406, 429
 * for an address over its refused-request limit, 500), every operation with a body what the body
 * cap answers (413, 415, 503), every error response's content is the {@link Problem} schema as
 * {@code application/problem+json} (the controllers' examples kept), and every 429 and 503 has the
 * Retry-After header.
 */
final class OpenApiProblemResponses {
    /** The {@link Problem} schema, in the components as every batch result refers to it. */
    static final String PROBLEM_REF = "#/components/schemas/Problem";
    static final String RETRY_AFTER = "Retry-After";
    static final String RETRY_AFTER_REF = "#/components/headers/" + RETRY_AFTER;

    /** What any request under /api can get, whatever the operation. */
    private static final Map<String, String> EVERY_OPERATION = Map.of(
            "400", "The request is malformed: a bad parameter, or a path spelled with ; parameters, encoded "
                    + "separators or dot segments",
            "406", "The Accept header allows no media type this operation produces",
            "429", "Too many refused requests from this address (ledger.api.rate-limit): every request from it "
                    + "is refused until its bucket refills",
            "500", "The replica failed to answer; its log has the details");
    /** What the request-body cap answers, for operations that take a body. */
    private static final Map<String, String> WITH_BODY = Map.of(
            "413", "The request body is over its limit (ledger.api.request-body-max-bytes, "
                    + "ledger.api.batch-request-body-max-bytes)",
            "415", "The Content-Type is missing or not application/json",
            "503", "This replica holds as many request-body bytes as it accepts at once "
                    + "(ledger.api.in-flight-body-max-bytes)");

    private OpenApiProblemResponses() {
    }

    static void apply(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        components.addHeaders(RETRY_AFTER, new Header()
                .description("Seconds to wait before sending the request again")
                .schema(new IntegerSchema().format(null).minimum(BigDecimal.ONE)));
        if (openApi.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
            if (path.getKey().startsWith(RequestBodyLimitFilter.API_PREFIX)) {
                path.getValue().readOperations().forEach(OpenApiProblemResponses::complete);
            }
        }
    }

    private static void complete(Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        EVERY_OPERATION.forEach((code, description) -> responses.putIfAbsent(code, new ApiResponse().description(description)));
        if (operation.getRequestBody() != null) {
            WITH_BODY.forEach((code, description) -> responses.putIfAbsent(code, new ApiResponse().description(description)));
        }
        ApiResponses sorted = new ApiResponses();
        responses.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(entry -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
        sorted.forEach(OpenApiProblemResponses::asProblem);
        operation.setResponses(sorted);
    }

    /** An error response as the Problem schema in application/problem+json, with Retry-After when it asks to come back. */
    private static void asProblem(String code, ApiResponse response) {
        if (!isError(code)) {
            return;
        }
        MediaType declared = response.getContent() == null ? null : response.getContent().get(ProblemResponses.PROBLEM_JSON);
        MediaType problem = new MediaType().schema(new Schema<>().$ref(PROBLEM_REF));
        if (declared != null) {
            problem.setExample(declared.getExample());
            problem.setExamples(declared.getExamples());
        }
        response.setContent(new Content().addMediaType(ProblemResponses.PROBLEM_JSON, problem));
        if (ApiExceptionHandler.retryLater(Integer.parseInt(code))) {
            response.addHeaderObject(RETRY_AFTER, new Header().$ref(RETRY_AFTER_REF));
        }
    }

    private static boolean isError(String code) {
        return code.length() == 3 && (code.charAt(0) == '4' || code.charAt(0) == '5');
    }
}
