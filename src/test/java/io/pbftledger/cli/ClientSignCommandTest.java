package io.pbftledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.config.MembershipFile;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ClientSignCommandTest {
    @TempDir
    Path dir;

    private Membership membership;

    @BeforeEach
    void keys() {
        CliRun.of("keygen", "--clients", "2", "--out", dir.toString());
        membership = MembershipFile.load(dir.resolve("membership.yml"));
    }

    /** Rebuilds the transaction the REST API would from the printed body. */
    static Transaction parse(String json) {
        JsonNode body = TransactionJson.JSON.readTree(json);
        return Transaction.fromJsonPayload(body.get("chainId").asString(), body.get("clientId").asString(), body.get("nonce").asLong(),
                body.hasNonNull("key") ? body.get("key").asString() : null, body.get("payload").toString(),
                Base64.getDecoder().decode(body.get("signature").asString()));
    }

    @Test
    void printsATransactionThatVerifiesWithTheClientsPublicKeyAndItsTxIdOnStderr() {
        CliRun run = CliRun.of("client", "sign", "--identity", dir.resolve("clients/client-1.key").toString(), "--nonce", "42",
                "--key", "greeting", "--payload", "{ \"hello\" : \"world\", \"a\": [1, 2.50] }");

        assertThat(run.exitCode()).as(run.err()).isZero();
        Transaction tx = parse(run.out());
        assertThat(tx.chainId()).isEqualTo(membership.chainId());
        assertThat(tx.clientId()).isEqualTo("client-1");
        assertThat(tx.nonce()).isEqualTo(42);
        assertThat(tx.key()).isEqualTo("greeting");
        assertThat(tx.payload()).isEqualTo("{\"a\":[1,2.5],\"hello\":\"world\"}");
        assertThat(tx.verify(membership.client("client-1").orElseThrow().publicKey())).isTrue();
        assertThat(tx.verify(membership.client("client-0").orElseThrow().publicKey())).isFalse();
        assertThat(run.errLines()).containsExactly("txId: " + tx.txId().hex());
    }

    @Test
    void printsTheRestBodyShapeOnOneLineWithoutKeyWhenNoneIsGiven() {
        CliRun run = CliRun.of("client", "sign", "--identity", dir.resolve("clients/client-0.key").toString(), "--nonce", "7", "--payload", "[true]");

        assertThat(run.out().lines()).hasSize(1);
        JsonNode body = TransactionJson.JSON.readTree(run.out());
        assertThat(body.propertyNames()).containsExactly("chainId", "clientId", "nonce", "payload", "signature");
        assertThat(body.get("payload").isArray()).isTrue();
        assertThat(body.get("nonce").isIntegralNumber()).isTrue();
    }

    @Test
    void rejectsAPayloadThatIsNotJson() {
        CliRun run = CliRun.of("client", "sign", "--identity", dir.resolve("clients/client-0.key").toString(), "--nonce", "7", "--payload", "{oops");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().startsWith("pbft-ledger client sign: payload is not valid JSON");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void rejectsANonceAbove2To53() {
        CliRun run = CliRun.of("client", "sign", "--identity", dir.resolve("clients/client-0.key").toString(), "--nonce", "9007199254740992", "--payload", "{}");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines()).singleElement().asString().contains("nonce must be between 0 and 2^53-1");
    }
}
