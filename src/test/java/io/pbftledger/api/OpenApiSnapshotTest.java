package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Guards the public contract: the OpenAPI document must equal the committed snapshot, so that any
 * change to paths, fields, status codes or examples shows up in review.
 *
 * <p>After an intended change, regenerate the snapshot and commit it:
 * <pre>
 *   ./mvnw -o -q test -Dtest=OpenApiSnapshotTest -Dopenapi.snapshot.update=true
 * </pre>
 * The demo signer is enabled here so that its contract is guarded too.
 */
@OpenApiDocumentTest
class OpenApiSnapshotTest {
    static final Path SNAPSHOT = Path.of("src/test/resources/api/openapi-snapshot.json");
    static final String UPDATE_PROPERTY = "openapi.snapshot.update";
    private static final JsonMapper PRETTY = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    @Autowired
    MockMvc mvc;

    /** Stands in for the transport's replica-to-replica controller, which must stay out of the document. */
    @RestController
    static class PeerEndpointStandIn {
        @GetMapping("/pbft/v1/stand-in")
        String standIn() {
            return "peer";
        }
    }

    /** The document springdoc serves at {@code path}, as JSON text. */
    static String served(MockMvc mvc, String path) throws Exception {
        return mvc.perform(get(path)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private JsonNode document(String path) throws Exception {
        return PRETTY.readTree(served(mvc, path));
    }

    @Test
    void theDocumentMatchesTheCommittedSnapshot() throws Exception {
        String actual = normalized(document("/v3/api-docs"));
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, actual, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(SNAPSHOT))
                .as("no snapshot at %s; create it with -D%s=true", SNAPSHOT, UPDATE_PROPERTY).isTrue();
        assertThat(actual)
                .as("the OpenAPI document changed; if intended, rerun with -D%s=true and commit %s",
                        UPDATE_PROPERTY, SNAPSHOT)
                .isEqualTo(Files.readString(SNAPSHOT, StandardCharsets.UTF_8));
    }

    @Test
    void everyOperationHasASummaryADescriptionAndResponseCodes() throws Exception {
        JsonNode paths = document("/v3/api-docs").get("paths");
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                String name = operation.getKey().toUpperCase() + " " + path.getKey();
                operations.add(name);
                assertThat(operation.getValue().path("summary").asString()).as(name + " summary").isNotBlank();
                assertThat(operation.getValue().path("description").asString()).as(name + " description").isNotBlank();
                assertThat(operation.getValue().path("responses").size()).as(name + " responses").isPositive();
            }
        }
        assertThat(operations).containsExactlyInAnyOrder(
                "POST /api/v1/transactions", "POST /api/v1/transactions/batch", "GET /api/v1/transactions/{txId}",
                "GET /api/v1/transactions/{txId}/proof",
                "GET /api/v1/blocks", "GET /api/v1/blocks/latest", "GET /api/v1/blocks/{height}",
                "GET /api/v1/blocks/hash/{hash}", "GET /api/v1/blocks/{height}/transactions",
                "GET /api/v1/state/{key}", "GET /api/v1/state/{key}/history", "GET /api/v1/state/{key}/proof",
                "GET /api/v1/consensus",
                "GET /api/v1/chain/verify", "POST /api/v1/demo/sign",
                "GET /api/v1/checkpoints", "GET /api/v1/checkpoints/latest",
                "GET /api/v1/blocks/stream", "GET /api/v1/cluster", "GET /api/v1/membership",
                "GET /api/v1/membership/history");
    }

    @Test
    void theDocumentDescribesTheApiAndCarriesACompleteSignedExample() throws Exception {
        JsonNode doc = document("/v3/api-docs");
        assertThat(doc.at("/info/title").asString()).isEqualTo("pbft-ledger API");
        assertThat(doc.at("/info/description").asString()).contains("Ed25519", "RFC 8785", "problem+json");
        JsonNode example = doc.at("/paths/~1api~1v1~1transactions/post/requestBody/content/application~1json/examples/signed/value");
        assertThat(example.isObject()).as("signed example of POST /api/v1/transactions").isTrue();
        assertThat(PRETTY.writeValueAsString(example))
                .isEqualTo(PRETTY.writeValueAsString(PRETTY.readTree(ApiExamples.SIGNED_TRANSACTION)));
        assertThat(doc.at("/paths/~1api~1v1~1transactions/post/responses/429/content/application~1problem+json").isObject())
                .isTrue();
    }

    @Test
    void peerEndpointsAreLeftOutOfTheDefaultAndThePublicDocument() throws Exception {
        assertThat(document("/v3/api-docs").get("paths").propertyNames()).noneMatch(p -> p.startsWith("/pbft"));
        JsonNode publicGroup = document("/v3/api-docs/" + OpenApiConfig.PUBLIC_GROUP);
        assertThat(publicGroup.get("paths").propertyNames()).isNotEmpty().allMatch(p -> p.startsWith("/api/v1/"));
    }

    @Test
    void theSwaggerUiIsServed() throws Exception {
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk());
    }

    /** Sorted keys and sorted root tags, so the snapshot does not depend on reflection or bean order. */
    private static String normalized(JsonNode document) throws IOException {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        JsonNode tags = copy.get("tags");
        if (tags instanceof ArrayNode array) {
            List<JsonNode> sorted = new ArrayList<>();
            array.forEach(sorted::add);
            sorted.sort(Comparator.comparing(tag -> tag.path("name").asString()));
            array.removeAll();
            sorted.forEach(array::add);
        }
        return PRETTY.writeValueAsString(copy) + "\n";
    }
}
