package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.web.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lints the OpenAPI documents the replica serves with swagger-parser's OpenAPI 3 parser, which
 * reports unexpected or missing attributes, values of the wrong type and dangling schema references:
 * it must report nothing. Beyond what it checks, every operation has a unique camelCase operationId,
 * answers its errors as the Problem schema in application/problem+json (with examples of a kind of
 * their status), says when to retry after a 429 or 503, and every read under /api/v1 names the
 * schemes of closed reads, all of them declared.
 */
@OpenApiDocumentTest
class OpenApiLintTest {
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Autowired
    MockMvc mvc;

    /** One operation of the document, named for messages. */
    private record Op(String name, String path, PathItem.HttpMethod method, Operation operation) {
    }

    private SwaggerParseResult parse(String path) throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(false);
        return new OpenAPIV3Parser().readContents(OpenApiSnapshotTest.served(mvc, path), null, options);
    }

    private OpenAPI document(String path) throws Exception {
        SwaggerParseResult result = parse(path);
        assertThat(result.getOpenAPI()).as("%s parses: %s", path, result.getMessages()).isNotNull();
        return result.getOpenAPI();
    }

    private static List<Op> operations(OpenAPI openApi) {
        List<Op> out = new ArrayList<>();
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                out.add(new Op(method + " " + path, path, method, operation))));
        assertThat(out).isNotEmpty();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP})
    void theParserReportsNothing(String path) throws Exception {
        SwaggerParseResult result = parse(path);

        assertThat(result.getMessages()).as(path).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).startsWith("3.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP})
    void everyOperationHasItsOwnCamelCaseOperationId(String path) throws Exception {
        Set<String> seen = new HashSet<>();
        for (Op op : operations(document(path))) {
            String id = op.operation().getOperationId();
            assertThat(id).as(op.name()).isNotNull().matches("[a-z]+([A-Z][a-z0-9]*)+");
            assertThat(seen.add(id)).as("%s repeats operationId %s", op.name(), id).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP})
    void everyErrorIsAProblemAndEveryOperationDeclaresA4xx(String path) throws Exception {
        for (Op op : operations(document(path))) {
            Map<String, ApiResponse> responses = op.operation().getResponses();
            assertThat(responses.keySet()).as(op.name()).anyMatch(code -> code.startsWith("4"));
            responses.forEach((code, response) -> {
                if (!code.startsWith("4") && !code.startsWith("5")) {
                    return;
                }
                String where = op.name() + " " + code;
                assertThat(response.getContent()).as(where).isNotNull();
                assertThat(response.getContent().keySet()).as(where).containsExactly(ProblemResponses.PROBLEM_JSON);
                MediaType problem = response.getContent().get(ProblemResponses.PROBLEM_JSON);
                assertThat(problem.getSchema()).as(where).isNotNull();
                assertThat(problem.getSchema().get$ref()).as(where).isEqualTo(PROBLEM_REF);
                for (Object example : examples(problem)) {
                    JsonNode json = JsonMapper.shared().readTree(example.toString());
                    assertThat(ProblemType.ofUri(json.path("type").asString())).as("%s example %s", where, json)
                            .hasValueSatisfying(type -> assertThat(type.status()).isEqualTo(Integer.parseInt(code)));
                    assertThat(json.path("status").asInt()).as("%s example", where).isEqualTo(Integer.parseInt(code));
                }
            });
        }
    }

    private static List<Object> examples(MediaType media) {
        List<Object> out = new ArrayList<>();
        if (media.getExample() != null) {
            out.add(media.getExample());
        }
        if (media.getExamples() != null) {
            media.getExamples().values().stream().map(Example::getValue).forEach(out::add);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP})
    void every429And503SaysWhenToRetry(String path) throws Exception {
        OpenAPI openApi = document(path);
        assertThat(openApi.getComponents().getHeaders()).containsKey(OpenApiProblemResponses.RETRY_AFTER);
        int retryLater = 0;
        for (Op op : operations(openApi)) {
            for (String code : List.of("429", "503")) {
                ApiResponse response = op.operation().getResponses().get(code);
                if (response != null) {
                    retryLater++;
                    assertThat(response.getHeaders()).as(op.name() + " " + code).containsKey("Retry-After");
                }
            }
        }
        assertThat(retryLater).as("operations that declare 429 or 503").isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v3/api-docs", "/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP})
    void everyReadNamesTheSchemesOfClosedReads(String path) throws Exception {
        OpenAPI openApi = document(path);
        Map<String, SecurityScheme> schemes = openApi.getComponents().getSecuritySchemes();
        assertThat(schemes).containsKeys(OpenApiReadSecurity.CERTIFICATE, OpenApiReadSecurity.CLIENT,
                OpenApiReadSecurity.TIMESTAMP, OpenApiReadSecurity.SIGNATURE);
        assertThat(schemes.get(OpenApiReadSecurity.CERTIFICATE).getType()).isEqualTo(SecurityScheme.Type.MUTUALTLS);
        assertThat(List.of(OpenApiReadSecurity.CLIENT, OpenApiReadSecurity.TIMESTAMP, OpenApiReadSecurity.SIGNATURE))
                .allSatisfy(name -> {
                    assertThat(schemes.get(name).getType()).as(name).isEqualTo(SecurityScheme.Type.APIKEY);
                    assertThat(schemes.get(name).getIn()).as(name).isEqualTo(SecurityScheme.In.HEADER);
                });
        SecurityRequirement signed = new SecurityRequirement().addList(OpenApiReadSecurity.CLIENT)
                .addList(OpenApiReadSecurity.TIMESTAMP).addList(OpenApiReadSecurity.SIGNATURE);
        SecurityRequirement certificate = new SecurityRequirement().addList(OpenApiReadSecurity.CERTIFICATE);
        for (Op op : operations(openApi)) {
            List<SecurityRequirement> security = op.operation().getSecurity();
            if (security != null) {
                // The parser does not check this: a requirement may name declared schemes only.
                security.forEach(requirement -> assertThat(schemes.keySet()).as(op.name())
                        .containsAll(requirement.keySet()));
            }
            if (op.method() != PathItem.HttpMethod.GET) {
                assertThat(security).as("%s is signed in its body", op.name()).isNullOrEmpty();
                continue;
            }
            boolean adminOnly = op.path().equals("/api/v1/chain/verify");
            assertThat(security).as(op.name()).contains(signed, certificate)
                    .hasSize(adminOnly ? 2 : 3);
            assertThat(op.operation().getResponses()).as(op.name()).containsKeys("401", "403");
        }
    }
}
