package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Transaction;

/**
 * Fuzzes the public transaction parser (request body → {@link Transaction}): any byte string is
 * either a transaction whose wire form round-trips, or a {@link LedgerException} with a one-line
 * detail; nothing else may escape. Regression mode replays {@code TransactionJsonFuzzTestInputs};
 * fuzz with {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=TransactionJsonFuzzTest}.
 */
class TransactionJsonFuzzTest {
    private static final StrictJson JSON = new StrictJson(JsonLimits.DEFAULTS);

    @FuzzTest(maxDuration = "60s")
    void anyBodyParsesToATransactionOrIsRefusedWithAOneLineReason(byte[] body) {
        Transaction tx;
        try {
            tx = JSON.read(body, TransactionRequest.class).toTransaction(JSON);
        } catch (LedgerException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
            return;
        }
        Transaction back = Transaction.fromWire(tx.wireBytes());
        assertThat(back).isEqualTo(tx);
        assertThat(back.txId()).isEqualTo(tx.txId());
    }
}
