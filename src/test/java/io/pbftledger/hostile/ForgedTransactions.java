package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import io.pbftledger.cli.TransactionJson;
import io.pbftledger.crypto.Ed25519;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Transactions no member signed as they stand: random signatures, another client's key, another
 * chain, an unknown client, fields changed after signing (payload, key, nonce, client), a signature
 * of the wrong length, the reserved membership key written by a client without the admin role, and
 * admin membership changes that do not apply (a malformed op, revoking the last admin). Sent alone
 * or in a batch; none may reach the chain.
 */
public final class ForgedTransactions implements RequestSource {
    private static final int SHAPES = 10;

    @Override
    public Kind kind() {
        return Kind.FORGED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(shape(i % SHAPES, random, target));
        }
        return out;
    }

    private HostileRequest shape(int shape, Random random, Target target) {
        ClientIdentity victim = target.client("client-" + (1 + random.nextInt(2)));
        ClientIdentity other = target.client(victim.clientId().equals("client-1") ? "client-2" : "client-1");
        long nonce = SampleTransactions.neverValidNonce(random);
        String payload = "{\"amount\":" + random.nextInt(1_000_000) + "}";
        return switch (shape) {
            case 0 -> send(random, "random signature", SampleTransactions.forged(target.chainId(), victim.clientId(), nonce, random),
                    Expect.refused(401, "signature does not verify", "client '" + victim.clientId() + "'"));
            case 1 -> send(random, "signed by another client's key", Transaction.sign(target.chainId(), victim.clientId(), nonce,
                    "stolen", payload, other.privateKey()),
                    Expect.refused(401, "signature does not verify", "client '" + victim.clientId() + "'"));
            case 2 -> {
                String chain = List.of("other-chain", "prod-1", target.chainId() + "x", "demo-chain").get(random.nextInt(4));
                yield send(random, "chain " + chain, Transaction.sign(chain, victim.clientId(), nonce, "k", payload,
                        victim.privateKey()), Expect.refused(400, "chainId '" + chain + "' is not this ledger's"));
            }
            case 3 -> {
                String stranger = "mallory-" + random.nextInt(1000);
                Ed25519.PrivateKey key = Ed25519.PrivateKey.fromSeed(seed(random));
                yield send(random, "unknown client", Transaction.sign(target.chainId(), stranger, nonce, "k", payload, key),
                        Expect.refused(403, "client '" + stranger + "' is not a member of this ledger"));
            }
            case 4 -> {
                Transaction signed = victim.sign(nonce, "honest", payload);
                String tampered = TxFields.of(signed).set("payload", "{\"amount\":" + (1_000_000 + random.nextInt(1000)) + "}").render();
                yield send(random, "payload changed after signing", tampered,
                        Expect.refused(401, "signature does not verify"));
            }
            case 5 -> {
                Transaction signed = victim.sign(nonce, "honest", payload);
                String field = List.of("key", "nonce", "clientId").get(random.nextInt(3));
                String value = switch (field) {
                    case "key" -> "\"hijacked\"";
                    case "nonce" -> Long.toString(nonce + 1);
                    default -> "\"" + other.clientId() + "\"";
                };
                yield send(random, field + " changed after signing", TxFields.of(signed).set(field, value).render(),
                        Expect.refused(401, "signature does not verify"));
            }
            case 6 -> {
                Transaction signed = victim.sign(nonce, "honest", payload);
                int length = List.of(0, 32, 63, 65, 128).get(random.nextInt(5));
                byte[] signature = new byte[length];
                random.nextBytes(signature);
                String body = TxFields.of(signed).set("signature", "\"" + java.util.Base64.getEncoder().encodeToString(signature)
                        + "\"").render();
                yield send(random, "signature of " + length + " bytes", body, Expect.refused(400, "signature"));
            }
            case 7 -> {
                String op = "{\"op\":\"add\",\"clientId\":\"mallory\",\"publicKey\":\""
                        + Ed25519.PrivateKey.fromSeed(seed(random)).publicKey().toBase64() + "\",\"roles\":[\"admin\"]}";
                yield send(random, "membership change by a non-admin", victim.sign(nonce, "ledger:membership", op),
                        Expect.refused(403, "lacks the admin role"));
            }
            case 8 -> {
                String key = List.of("ledger:state", "ledger:", "ledger:clients").get(random.nextInt(3));
                yield send(random, "reserved key " + key, victim.sign(nonce, key, payload), Expect.refused(400, "reserved"));
            }
            default -> {
                ClientIdentity admin = target.admin();
                String[][] ops = {
                        {"{\"op\":\"revoke\",\"clientId\":\"client-0\"}", "'client-0' is the last admin"},
                        {"{\"op\":\"roles\",\"clientId\":\"client-0\",\"roles\":[\"read\"]}", "'client-0' is the last admin"},
                        {"{\"op\":\"explode\"}", "membership payload needs \"op\""},
                        {"{\"op\":\"revoke\",\"clientId\":\"nobody\"}", "client 'nobody' is not a member"},
                        {"{\"op\":\"add\",\"clientId\":\"client-9\",\"publicKey\":\"AAAA\",\"roles\":[\"read\"]}",
                                "publicKey is not a base64 Ed25519 public key"}};
                String[] op = ops[random.nextInt(ops.length)];
                yield send(random, "admin op that does not apply: " + op[0], admin.sign(nonce, "ledger:membership", op[0]),
                        Expect.refused(400, op[1]));
            }
        };
    }

    private static HostileRequest send(Random random, String label, Transaction tx, Expect expect) {
        return send(random, label, TransactionJson.body(tx), expect);
    }

    /** Alone, or (one in three) as the single item of a batch, whose 200 then carries the refusal. */
    private static HostileRequest send(Random random, String label, String body, Expect expect) {
        if (random.nextInt(3) == 0) {
            return HostileRequest.of(Kind.FORGED, "batch item: " + label, "POST", MalformedBodies.BATCH,
                    Body.json("[" + body + "]"), new Expect(Set.of(200), expect.detailFragments()));
        }
        return HostileRequest.of(Kind.FORGED, label, "POST", MalformedBodies.SUBMIT, Body.json(body), expect);
    }

    private static byte[] seed(Random random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return seed;
    }
}
