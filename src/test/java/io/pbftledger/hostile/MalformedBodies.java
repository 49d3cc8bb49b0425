package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Transaction;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Transaction bodies that are not a well-formed transaction: truncated, a field of the wrong type or
 * out of range, unknown, missing or repeated fields, trailing content, JSON syntax a strict parser
 * refuses, bytes that are not UTF-8, lone surrogates, non-object bodies, wrong or missing content
 * types and bad query parameters, to the single and the batch endpoint. The transactions underneath
 * carry random signatures, so none could be stored even if a check let it through.
 */
public final class MalformedBodies implements RequestSource {
    static final String SUBMIT = "/api/v1/transactions";
    static final String BATCH = "/api/v1/transactions/batch";
    private static final int MUTATIONS = 14;

    /** Field, wrong raw value, fragment the detail must name. */
    private record WrongValue(String field, String raw) {
    }

    private static final List<WrongValue> WRONG_VALUES = List.of(
            new WrongValue("chainId", "5"), new WrongValue("chainId", "true"), new WrongValue("chainId", "[]"),
            new WrongValue("chainId", "{}"), new WrongValue("chainId", "\"\""), new WrongValue("chainId", "\"a b\""),
            new WrongValue("clientId", "7"), new WrongValue("clientId", "false"), new WrongValue("clientId", "\"\""),
            new WrongValue("clientId", "\"" + "c".repeat(65) + "\""), new WrongValue("clientId", "\"client/1\""),
            new WrongValue("nonce", "\"12\""), new WrongValue("nonce", "1.5"), new WrongValue("nonce", "-1"),
            new WrongValue("nonce", "9007199254740992"), new WrongValue("nonce", "1e3"), new WrongValue("nonce", "true"),
            new WrongValue("nonce", "null"), new WrongValue("nonce", "[1]"), new WrongValue("nonce", "99999999999999999999"),
            new WrongValue("key", "42"), new WrongValue("key", "\"\""), new WrongValue("key", "\"white space\""),
            new WrongValue("key", "\"" + "k".repeat(257) + "\""), new WrongValue("key", "{}"),
            new WrongValue("signature", "\"not base64!\""), new WrongValue("signature", "\"AAAA\""),
            new WrongValue("signature", "12"), new WrongValue("signature", "null"));

    /** Byte sequences that are not UTF-8: bad start byte, lone continuation, overlong, truncated, surrogate. */
    private static final List<byte[]> NOT_UTF8 = List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0x80},
            new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xe2, (byte) 0x82},
            new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80});

    private static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "text/json",
            "application/octet-stream", "image/png");

    private static final List<String> SYNTAX = List.of("{'chainId':'c'}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":01}",
            "{\"a\":NaN}", "{\"a\":Infinity}", "{/* c */\"a\":1}", "{\"a\":\"x\ty\"}", "{\"a\":\"\\x41\"}", "{\"a\":tru}",
            "{\"a\":[1,2}", "{\"a\":{\"b\":1]}", "{{}}", "}{", "{\"a\":\"\\u12\"}", "{\"a\":-}");

    @Override
    public Kind kind() {
        return Kind.MALFORMED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ClientIdentity client = target.clients().get(1 + random.nextInt(target.clients().size() - 1));
            Transaction tx = SampleTransactions.forged(target.chainId(), client.clientId(),
                    SampleTransactions.neverValidNonce(random), random);
            out.add(mutate(i % MUTATIONS, tx, random));
        }
        return out;
    }

    private HostileRequest mutate(int mutation, Transaction tx, Random random) {
        String body = TxFields.of(tx).render();
        boolean batch = random.nextInt(3) == 0;
        return switch (mutation) {
            case 0 -> {
                int cut = 1 + random.nextInt(body.length() - 1);
                yield submit(batch, "truncated at byte " + cut, Body.json(wrap(batch, body).substring(0, cut + (batch ? 1 : 0))),
                        Expect.refused(400, "end-of-input"));
            }
            case 1 -> {
                WrongValue w = WRONG_VALUES.get(random.nextInt(WRONG_VALUES.size()));
                String mistyped = TxFields.of(tx).set(w.field(), w.raw()).render();
                yield item(batch, w.field() + "=" + abbreviate(w.raw()), mistyped, Expect.refused(400, w.field()));
            }
            case 2 -> {
                String field = List.of("amount", "to", "fee", "signatures", "chainID", "Nonce").get(random.nextInt(6));
                yield item(batch, "unknown field " + field, TxFields.of(tx).set(field, "1").render(),
                        Expect.refused(400, "unknown field '" + field + "'"));
            }
            case 3 -> {
                String field = List.of("chainId", "clientId", "nonce", "payload", "signature").get(random.nextInt(5));
                yield item(batch, "missing " + field, TxFields.of(tx).remove(field).render(), Expect.refused(400, field));
            }
            case 4 -> {
                String field = List.of("chainId", "clientId", "nonce", "key", "signature").get(random.nextInt(5));
                // a batch's syntax pass finds the repeated key: the whole batch is refused
                String repeated = TxFields.of(tx).renderWithDuplicate(field, TxFields.of(tx).get(field));
                yield submit(batch, "duplicate " + field, Body.json(wrap(batch, repeated)), Expect.refused(400, field));
            }
            case 5 -> {
                String trailing = List.of(" {}", "x", ",", " null", "]", "{\"a\":1}").get(random.nextInt(6));
                yield submit(batch, "trailing " + trailing.strip(), Body.json(wrap(batch, body) + trailing),
                        Expect.refused(400, "JSON"));
            }
            case 6 -> {
                String syntax = SYNTAX.get(random.nextInt(SYNTAX.size()));
                yield submit(batch, "syntax " + syntax, Body.json(wrap(batch, syntax)), Expect.refused(400, "JSON"));
            }
            case 7 -> {
                byte[] bad = NOT_UTF8.get(random.nextInt(NOT_UTF8.size()));
                String field = random.nextBoolean() ? "key" : "payload";
                String marker = "\u0001";
                String template = field.equals("key") ? TxFields.of(tx).set("key", "\"k" + marker + "\"").render()
                        : TxFields.of(tx).set("payload", "{\"text\":\"a" + marker + "b\"}").render();
                yield submit(batch, "not UTF-8 " + hex(bad) + " in " + field, Body.of(Body.JSON,
                        replace(wrap(batch, template), marker, bad)), Expect.refused(400, "UTF-8"));
            }
            case 8 -> {
                String lone = List.of("\\ud800", "\\udfff", "\\ud800x", "\\udc00\\ud800").get(random.nextInt(4));
                yield item(batch, "lone surrogate " + lone, TxFields.of(tx).set("payload", "{\"text\":\"" + lone + "\"}").render(),
                        Expect.refused(400, "surrogate"));
            }
            case 9 -> {
                String value = List.of("null", "[]", "42", "\"tx\"", "true", "[{}]", "{}").get(random.nextInt(7));
                yield submit(false, "body " + value, Body.json(value), Expect.refused(400));
            }
            case 10 -> {
                String value = List.of("{}", "[]", "null", "42", "\"batch\"", "{\"items\":[]}").get(random.nextInt(6));
                yield submit(true, "batch body " + value, Body.json(value), Expect.refused(400, "batch"));
            }
            case 11 -> {
                String type = WRONG_CONTENT_TYPES.get(random.nextInt(WRONG_CONTENT_TYPES.size()));
                yield submit(batch, "content type " + type, Body.of(type, wrap(batch, body).getBytes(StandardCharsets.UTF_8)),
                        Expect.refused(415, "content type"));
            }
            case 12 -> submit(batch, "no content type", Body.of(null, wrap(batch, body).getBytes(StandardCharsets.UTF_8)),
                    Expect.refused(415, "Content-Type"));
            default -> {
                String query = List.of("?wait=true&waitMs=0", "?wait=true&waitMs=60001", "?waitMs=abc", "?wait=maybe",
                        "?waitMs=-5", "?waitMs=99999999999999999999", "?wait=2&waitMs=10").get(random.nextInt(7));
                String name = query.contains("wait=true") || !query.contains("wait=") ? "waitMs" : "wait";
                yield HostileRequest.of(Kind.MALFORMED, "query " + query, "POST", SUBMIT + query, Body.json(body),
                        Expect.refused(400, name));
            }
        };
    }

    /** A whole-body refusal, to the batch endpoint when {@code batch} (the body is already wrapped). */
    private static HostileRequest submit(boolean batch, String label, Body body, Expect expect) {
        return HostileRequest.of(Kind.MALFORMED, (batch ? "batch " : "") + label, "POST", batch ? BATCH : SUBMIT, body, expect);
    }

    /**
     * A refusal of one transaction: the whole body on the single endpoint; on the batch endpoint a
     * 200 whose item carries the refusal (the expectation's fragments then apply to the item).
     */
    private static HostileRequest item(boolean batch, String label, String transaction, Expect expect) {
        if (!batch) {
            return submit(false, label, Body.json(transaction), expect);
        }
        return submit(true, label, Body.json("[" + transaction + "]"), new Expect(Set.of(200), expect.detailFragments()));
    }

    private static String wrap(boolean batch, String transaction) {
        return batch ? "[" + transaction + "]" : transaction;
    }

    private static byte[] replace(String text, String marker, byte[] with) {
        int at = text.indexOf(marker);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
        out.writeBytes(with);
        out.writeBytes(text.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 24) + "...";
    }
}
