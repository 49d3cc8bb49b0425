package io.pbftledger.hostile;

import io.pbftledger.chain.Transaction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * JSON built to cost the parser and the heap while staying under the body cap: arrays over
 * {@code ledger.api.json-max-array-elements} (32,768), more tokens than {@code json-max-tokens}
 * (65,536) in arrays each under the element limit, objects with more than 1,000 properties, strings,
 * numbers and property names over their length limits, and batches of more than 1,000 items.
 */
public final class HugeStructures implements RequestSource {
    private static final int SHAPES = 7;

    @Override
    public Kind kind() {
        return Kind.HUGE;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Transaction tx = SampleTransactions.forged(target.chainId(), "client-1", SampleTransactions.neverValidNonce(random), random);
            out.add(shape(i % SHAPES, tx, random));
        }
        return out;
    }

    private HostileRequest shape(int shape, Transaction tx, Random random) {
        boolean batch = random.nextInt(4) == 0;
        return switch (shape) {
            case 0 -> {
                int elements = 32_769 + random.nextInt(60_000);
                // one token each: the element limit speaks before the token limit
                String element = List.of("0", "null", "\"\"", "true", "1.5").get(random.nextInt(5));
                yield payload(batch, "array of " + elements + " " + element, tx, array(element, elements),
                        Expect.refused(400, "has more than 32768 elements", "ledger.api.json-max-array-elements"));
            }
            case 1 -> {
                int arrays = 3 + random.nextInt(4);
                String inner = array("0", 30_000);
                yield payload(batch, arrays + " arrays of 30000", tx, "[" + String.join(",", Collections.nCopies(arrays, inner)) + "]",
                        Expect.refused(400, "more than 65536 JSON tokens", "ledger.api.json-max-tokens"));
            }
            case 2 -> {
                int properties = 1_001 + random.nextInt(5_000);
                StringBuilder object = new StringBuilder("{");
                for (int p = 0; p < properties; p++) {
                    object.append(p == 0 ? "" : ",").append("\"p").append(p).append("\":0");
                }
                yield payload(batch, "object of " + properties + " properties", tx, object.append('}').toString(),
                        Expect.refused(400, "has more than 1000 properties", "ledger.api.json-max-properties"));
            }
            case 3 -> {
                int length = 65_537 + random.nextInt(100_000);
                yield payload(batch, "string of " + length, tx, "\"" + "s".repeat(length) + "\"",
                        Expect.refused(400, "JSON string longer than 65536", "ledger.api.json-max-string-length"));
            }
            case 4 -> {
                int digits = 65 + random.nextInt(5_000);
                yield payload(batch, "number of " + digits + " digits", tx, "1" + "0".repeat(digits - 1),
                        Expect.refused(400, "JSON number longer than 64", "ledger.api.json-max-number-length"));
            }
            case 5 -> {
                int length = 257 + random.nextInt(20_000);
                yield payload(batch, "property name of " + length, tx, "{\"" + "n".repeat(length) + "\":1}",
                        Expect.refused(400, "JSON property name longer than 256", "ledger.api.json-max-name-length"));
            }
            default -> {
                int items = 1_001 + random.nextInt(2_000);
                String item = List.of("{}", "0", "null", "[]", TxFields.of(tx).render()).get(random.nextInt(5));
                yield HostileRequest.of(Kind.HUGE, "batch of " + items + " items", "POST", MalformedBodies.BATCH,
                        Body.json(array(item, items)),
                        Expect.refused(413, "a batch holds at most 1000 transactions; reading stopped at item 1001"));
            }
        };
    }

    private static HostileRequest payload(boolean batch, String label, Transaction tx, String payload, Expect expect) {
        String body = TxFields.of(tx).set("payload", payload).render();
        return HostileRequest.of(Kind.HUGE, (batch ? "batch item " : "") + label, "POST",
                batch ? MalformedBodies.BATCH : MalformedBodies.SUBMIT, Body.json(batch ? "[" + body + "]" : body), expect);
    }

    static String array(String element, int count) {
        StringBuilder sb = new StringBuilder(count * (element.length() + 1) + 2).append('[');
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ",").append(element);
        }
        return sb.append(']').toString();
    }
}
