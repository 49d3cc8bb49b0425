package io.pbftledger.hostile;

import io.pbftledger.chain.Transaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * JSON nested deeper than {@code ledger.api.json-max-depth} (32), from just over it to tens of
 * thousands of levels: arrays, objects and both, in a payload, in an unknown field, as the whole
 * body, in a batch item. Each body is small: depth, not size, is what it tries. A few payloads sit
 * exactly at the limit, where the depth check must let them through to the signature check.
 */
public final class DeepNesting implements RequestSource {
    static final int MAX_DEPTH = 32;

    @Override
    public Kind kind() {
        return Kind.NESTED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Transaction tx = SampleTransactions.forged(target.chainId(), "client-2", SampleTransactions.neverValidNonce(random), random);
            // depths spread over 33 .. ~33,000 (log-uniform), every tenth at the limit
            int depth = i % 10 == 9 ? MAX_DEPTH : 33 + (int) Math.pow(1000, random.nextDouble()) * (1 + random.nextInt(33)) - 1;
            String style = List.of("arrays", "objects", "mixed").get(random.nextInt(3));
            int place = random.nextInt(4);
            out.add(place(place, depth, style, tx, random));
        }
        return out;
    }

    private HostileRequest place(int place, int depth, String style, Transaction tx, Random random) {
        String label = style + " " + depth + " deep";
        if (depth == MAX_DEPTH) {
            // the body is depth 1, so a payload may nest 31 levels: allowed, then refused for its signature
            String payload = nested(MAX_DEPTH - 1, style, random);
            return HostileRequest.of(Kind.NESTED, label + " payload at the limit", "POST", MalformedBodies.SUBMIT,
                    Body.json(TxFields.of(tx).set("payload", payload).render()),
                    Expect.refused(401, "signature does not verify"));
        }
        Expect tooDeep = Expect.refused(400, "JSON nesting deeper than 32", "ledger.api.json-max-depth");
        return switch (place) {
            case 0 -> HostileRequest.of(Kind.NESTED, label + " in payload", "POST", MalformedBodies.SUBMIT,
                    Body.json(TxFields.of(tx).set("payload", nested(depth, style, random)).render()), tooDeep);
            case 1 -> HostileRequest.of(Kind.NESTED, label + " in an unknown field", "POST", MalformedBodies.SUBMIT,
                    Body.json(TxFields.of(tx).set("extra", nested(depth, style, random)).render()), tooDeep);
            case 2 -> HostileRequest.of(Kind.NESTED, label + " as the body", "POST", MalformedBodies.SUBMIT,
                    Body.json(nested(depth, style, random)), tooDeep);
            default -> HostileRequest.of(Kind.NESTED, label + " in a batch item", "POST", MalformedBodies.BATCH,
                    Body.json("[" + TxFields.of(tx).set("payload", nested(depth, style, random)).render() + "]"), tooDeep);
        };
    }

    /** A JSON value {@code depth} levels deep (a scalar at the bottom). */
    static String nested(int depth, String style, Random random) {
        StringBuilder open = new StringBuilder(depth * 6);
        StringBuilder close = new StringBuilder(depth * 2);
        for (int d = 0; d < depth; d++) {
            boolean array = style.equals("arrays") || (style.equals("mixed") && random.nextBoolean());
            if (array) {
                open.append('[');
                close.append(']');
            } else {
                open.append("{\"a\":");
                close.append('}');
            }
        }
        return open.append('0').append(close.reverse()).toString();
    }
}
