package io.pbftledger.api;

import static io.pbftledger.api.ProblemResponses.JSON;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signs transactions with the demo's client keys so that a browser can try the API. It holds private
 * keys, so it exists only when {@code ledger.demo.enabled=true} (which a replica accepts only without
 * TLS and bound to a loopback address); a real deployment never sets that. It never signs as a client
 * with the admin role nor a reserved {@code ledger:} key: whoever reaches it can submit data, not
 * change the membership.
 */
@RestController
@RequestMapping(path = "/api/v1/demo", produces = JSON)
@ConditionalOnProperty(name = "ledger.demo.enabled", havingValue = "true")
@Tag(name = "Demo", description = "Demo-only helpers; present only when ledger.demo.enabled=true")
public class DemoSignController {
    private final List<ClientIdentity> identities;
    private final Set<String> admins;
    private final StrictJson json;
    private final DemoNonces nonces = new DemoNonces(System::currentTimeMillis);

    public DemoSignController(List<ClientIdentity> identities, Membership membership, StrictJson json) {
        this.identities = signersOf(identities, membership);
        this.admins = membership.clients().stream().filter(c -> c.may(Role.ADMIN)).map(Membership.Client::id)
                .collect(Collectors.toUnmodifiableSet());
        this.json = json;
    }

    @PostMapping(path = "/sign", consumes = JSON)
    @Operation(operationId = "signDemoTransaction", summary = "Sign a transaction with a demo client key (demo only)",
            description = "Returns a signed transaction ready to paste into POST /api/v1/transactions. Only the payload "
                    + "is required; the nonce defaults to a fresh unique one.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    content = @Content(mediaType = JSON, schema = @Schema(implementation = DemoSignRequest.class),
                            examples = @ExampleObject(value = ApiExamples.DEMO_SIGN))))
    @ApiResponse(responseCode = "200", description = "The signed transaction",
            content = @Content(mediaType = JSON, schema = @Schema(implementation = SignedTransactionJson.class),
                    examples = @ExampleObject(value = ApiExamples.SIGNED_TRANSACTION)))
    @ApiResponse(responseCode = "400", description = "Malformed request or no demo key for the client")
    @ApiResponse(responseCode = "403", description = "A reserved ledger: key or an admin client: the demo never signs those")
    public SignedTransactionJson sign(@RequestBody byte[] body) {
        DemoSignRequest request = json.read(body, DemoSignRequest.class);
        if (request.payload() == null) {
            throw LedgerException.invalid("payload is required");
        }
        if (MembershipOp.isReserved(request.key())) {
            throw new LedgerException(ErrorKind.FORBIDDEN, "the demo signer never signs reserved keys ('"
                    + MembershipOp.RESERVED_PREFIX + "*'); sign membership changes with an admin's key file (client sign)");
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
        if (admins.contains(clientId)) {
            throw new LedgerException(ErrorKind.FORBIDDEN, "the demo signer never signs as '" + clientId
                    + "', a client with the admin role; available: "
                    + identities.stream().map(ClientIdentity::clientId).collect(Collectors.joining(", ")));
        }
        throw LedgerException.invalid("no demo key for client '" + ApiInputs.abbreviate(clientId) + "'; available: "
                + identities.stream().map(ClientIdentity::clientId).collect(Collectors.joining(", ")));
    }

    /**
     * Keys of this ledger whose clients may submit and are no admins, in the given order: signing for
     * others would only yield refusals, and signing as an admin would hand the membership to anyone.
     */
    private static List<ClientIdentity> signersOf(List<ClientIdentity> identities, Membership membership) {
        List<ClientIdentity> signers = new ArrayList<>();
        for (ClientIdentity identity : identities) {
            boolean member = identity.chainId().equals(membership.chainId())
                    && membership.client(identity.clientId()).map(c -> c.may(Role.SUBMIT) && !c.may(Role.ADMIN)).orElse(false);
            if (member) {
                signers.add(identity);
            }
        }
        return List.copyOf(signers);
    }
}
