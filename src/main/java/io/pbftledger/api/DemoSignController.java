package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;
import static io.pbftledger.api.ProblemResponses.PROBLEM_JSON;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signs transactions with the demo's client keys so that a browser can try the API. It holds private
 * keys, so it exists only when {@code ledger.demo.enabled=true}; a real deployment never sets that.
 */
@RestController
@RequestMapping(path = "/api/v1/demo", produces = JSON)
@ConditionalOnProperty(name = "ledger.demo.enabled", havingValue = "true")
@Tag(name = "Demo", description = "Demo-only helpers; present only when ledger.demo.enabled=true")
public class DemoSignController {
    private final List<ClientIdentity> identities;
    private final StrictJson json;
    private final DemoNonces nonces = new DemoNonces(System::currentTimeMillis);

    public DemoSignController(List<ClientIdentity> identities, Membership membership, StrictJson json) {
        this.identities = signersOf(identities, membership);
        this.json = json;
    }

    @PostMapping(path = "/sign", consumes = JSON)
    @Operation(summary = "Sign a transaction with a demo client key (demo only)",
            description = "Returns a signed transaction ready to paste into POST /api/v1/transactions. Only the payload "
                    + "is required; the nonce defaults to a fresh unique one.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = JSON, schema = @Schema(implementation = DemoSignRequest.class),
                            examples = @ExampleObject(value = ApiExamples.DEMO_SIGN))))
    @ApiResponse(responseCode = "200", description = "The signed transaction",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = SignedTransactionJson.class),
                    examples = @ExampleObject(value = ApiExamples.SIGNED_TRANSACTION)))
    @ApiResponse(responseCode = "400", description = "Malformed request or no demo key for the client",
            content = @Content(mediaType = PROBLEM_JSON, schema = @Schema(implementation = Problem.class)))
    public SignedTransactionJson sign(@RequestBody byte[] body) {
        DemoSignRequest request = json.read(body, DemoSignRequest.class);
        if (request.payload() == null) {
            throw LedgerException.invalid("payload is required");
        }
        ClientIdentity identity = identity(request.clientId());
        long nonce = request.nonce() == null ? nonces.next() : request.nonce();
        Transaction tx = identity.sign(nonce, request.key(), json.write(request.payload()));
        return SignedTransactionJson.of(tx);
    }

    private ClientIdentity identity(String clientId) {
        if (identities.isEmpty()) {
            throw LedgerException.invalid("this replica holds no demo client key that may submit");
        }
        if (clientId == null) {
            return identities.get(0);
        }
        for (ClientIdentity identity : identities) {
            if (identity.clientId().equals(clientId)) {
                return identity;
            }
        }
        throw LedgerException.invalid("no demo key for client '" + ApiInputs.abbreviate(clientId) + "'; available: "
                + identities.stream().map(ClientIdentity::clientId).collect(Collectors.joining(", ")));
    }

    /** Keys of this ledger whose clients may submit, in the given order: signing for others would only yield refusals. */
    private static List<ClientIdentity> signersOf(List<ClientIdentity> identities, Membership membership) {
        List<ClientIdentity> signers = new ArrayList<>();
        for (ClientIdentity identity : identities) {
            boolean member = identity.chainId().equals(membership.chainId())
                    && membership.client(identity.clientId()).map(c -> c.may(Role.SUBMIT)).orElse(false);
            if (member) {
                signers.add(identity);
            }
        }
        return List.copyOf(signers);
    }
}
