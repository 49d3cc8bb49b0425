package io.pbftledger.api;

import io.pbftledger.chain.ReadRequestSignature;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the OpenAPI document says who may read: the security schemes of closed reads (the three
 * signed-request headers, together, or a client certificate over mutual TLS) and, on every read the
 * {@link ReadAccessFilter} guards, the requirement and its 401 and 403. A read under
 * {@link ReadAccessFilter#READ_PREFIX} may also go without credentials (an empty requirement), as
 * reads are open unless {@code ledger.api.reads=authenticated}; one of
 * {@link ReadAccessFilter#ADMIN_PATHS} may not. Writes carry their own signatures and have no
 * requirement.
 */
final class OpenApiReadSecurity {
    static final String CLIENT = "signedReadClient";
    static final String TIMESTAMP = "signedReadTimestamp";
    static final String SIGNATURE = "signedReadSignature";
    static final String CERTIFICATE = "clientCertificate";

    private OpenApiReadSecurity() {
    }

    /** The schemes, for the document's components. */
    static Components declareSchemes(Components components) {
        return components
                .addSecuritySchemes(CLIENT, header(ReadRequestSignature.CLIENT_HEADER,
                        "Signed read: the client id. Goes with " + TIMESTAMP + " and " + SIGNATURE + "."))
                .addSecuritySchemes(TIMESTAMP, header(ReadRequestSignature.TIMESTAMP_HEADER,
                        "Signed read: unix time in milliseconds, within ledger.api.read-timestamp-skew-ms of the "
                                + "replica's clock."))
                .addSecuritySchemes(SIGNATURE, header(ReadRequestSignature.SIGNATURE_HEADER,
                        "Signed read: base64 Ed25519 signature by the client's current key over the UTF-8 bytes of \""
                                + ReadRequestSignature.DOMAIN + "\\n\" + chainId + \"\\n\" + method + \"\\n\" + "
                                + "pathAndQuery + \"\\n\" + timestamp (README, \"Closed reads: signed requests\")."))
                .addSecuritySchemes(CERTIFICATE, new SecurityScheme().type(SecurityScheme.Type.MUTUALTLS)
                        .description("A client certificate of the cluster CA (subject OU=client, CN=<clientId>, "
                                + "O=pbft-ledger <chainId>), with TLS on."));
    }

    private static SecurityScheme header(String name, String description) {
        return new SecurityScheme().type(SecurityScheme.Type.APIKEY).in(SecurityScheme.In.HEADER).name(name)
                .description(description);
    }

    /** Puts the requirement, 401 and 403 on every guarded read that does not declare them itself. */
    static void apply(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : openApi.getPaths().entrySet()) {
            Operation read = path.getValue().getGet();
            if (read == null || !path.getKey().startsWith(ReadAccessFilter.READ_PREFIX)) {
                continue;
            }
            boolean adminOnly = ReadAccessFilter.ADMIN_PATHS.stream().anyMatch(path.getKey()::startsWith);
            read.setSecurity(requirements(adminOnly));
            ApiResponses responses = read.getResponses();
            responses.putIfAbsent("401", new ApiResponse().description(adminOnly
                    ? "Without credentials, or with signed-request headers that do not verify"
                    : "Reads are closed (ledger.api.reads=authenticated) and the request has no credentials, or "
                            + "signed-request headers that do not verify"));
            responses.putIfAbsent("403", new ApiResponse().description(adminOnly
                    ? "The client is not a member, or lacks the admin role"
                    : "Reads are closed and the client is not a member, was revoked, or lacks the read role"));
        }
    }

    private static List<SecurityRequirement> requirements(boolean adminOnly) {
        List<SecurityRequirement> any = new ArrayList<>();
        if (!adminOnly) {
            any.add(new SecurityRequirement());
        }
        any.add(new SecurityRequirement().addList(CLIENT).addList(TIMESTAMP).addList(SIGNATURE));
        any.add(new SecurityRequirement().addList(CERTIFICATE));
        return any;
    }
}
