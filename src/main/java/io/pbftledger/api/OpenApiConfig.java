package io.pbftledger.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.models.GroupedOpenApi;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document (served at {@code /v3/api-docs}, shown at {@code /swagger-ui/index.html}).
 * Only {@code /api/**} is public: the replica-to-replica endpoints under {@code /pbft/**} are
 * dropped from every group, including the default document.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {
    static final String PUBLIC_GROUP = "public";
    static final String PEER_PATH_PREFIX = "/pbft/";
    static final String JSON_VALUE = "JsonValue";
    static final String JSON_VALUE_REF = "#/components/schemas/" + JSON_VALUE;

    private static final String DESCRIPTION = """
            REST API of one replica of a permissioned ledger ordered by PBFT (Castro & Liskov). Any replica \
            accepts transactions and answers reads from its own copy of the chain.

            Transactions are signed by clients with Ed25519. The signature covers the transaction's signing \
            bytes (big-endian): ASCII "PBFT-TX", u8 version 1, u16-length-prefixed UTF-8 chainId and clientId, \
            u64 nonce, u8 hasKey and (when 1) the u16-length-prefixed key, then the u32-length-prefixed UTF-8 \
            of the payload's RFC 8785 canonical JSON. txId is the lowercase hex SHA-256 of those bytes. \
            (clientId, nonce) executes at most once; resubmitting is safe.

            Errors are application/problem+json (RFC 9457) with a one-line detail and a stable type URI, \
            `urn:pbft-ledger:problem:{kind}`, one per kind of error (README, "Errors", lists them). Every 429 and 503 \
            says in Retry-After when to try again.

            Reads are open unless the replica runs with ledger.api.reads=authenticated; then every GET under \
            /api/v1 needs a client with the read role, proved by the three signed-request headers together or by \
            a client certificate over mutual TLS (the security schemes below). GET /api/v1/chain/verify always \
            needs a client with the admin role.""";

    @Bean
    OpenAPI ledgerOpenApi() {
        return new OpenAPI()
                .info(new Info().title("pbft-ledger API").version("v1").description(DESCRIPTION))
                // Relative, so the document works on whichever replica serves it.
                .servers(List.of(new Server().url("/").description("this replica")))
                // Payloads and state values are arbitrary JSON; an empty schema says exactly that.
                .components(OpenApiReadSecurity.declareSchemes(new Components().addSchemas(JSON_VALUE, new Schema<>()
                        .description("Any JSON value: object, array, string, number, boolean or null"))));
    }

    @Bean
    GroupedOpenApi publicApi() {
        return GroupedOpenApi.builder().group(PUBLIC_GROUP).displayName("pbft-ledger public API")
                .pathsToMatch("/api/**").pathsToExclude(PEER_PATH_PREFIX + "**").build();
    }

    /**
     * Keeps peer endpoints out of the default document too (it lists every path otherwise), drops
     * the "string" type swagger infers for raw-JSON fields, which are any JSON value, puts the
     * closed-read requirements on the reads ({@link OpenApiReadSecurity}) and then completes every
     * operation's error responses ({@link OpenApiProblemResponses}).
     */
    @Bean
    GlobalOpenApiCustomizer publicDocumentCustomizer() {
        return openApi -> {
            if (openApi.getPaths() != null) {
                openApi.getPaths().keySet().removeIf(path -> path.startsWith(PEER_PATH_PREFIX));
            }
            if (openApi.getComponents() != null && openApi.getComponents().getSchemas() != null) {
                openApi.getComponents().getSchemas().values().forEach(OpenApiConfig::untypeJsonValues);
            }
            OpenApiReadSecurity.apply(openApi);
            OpenApiProblemResponses.apply(openApi);
        };
    }

    private static void untypeJsonValues(Schema<?> schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Schema<?> property : schema.getProperties().values()) {
            if (JSON_VALUE_REF.equals(property.get$ref())) {
                property.setType(null);
                property.setTypes(null);
            }
        }
    }
}
