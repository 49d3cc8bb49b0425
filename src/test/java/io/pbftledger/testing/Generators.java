package io.pbftledger.testing;

import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.Status;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * Random values for the property tests, all drawn from one seeded {@link Random} so a try is
 * reproducible from its seed (see {@link PropertyRuns}). Bounded numbers hit their edges (the
 * minimum and the maximum) far more often than uniform drawing would, because that is where
 * encodings break.
 */
public final class Generators {
    /** Chance, in percent, that a bounded number is its minimum; the same again for its maximum. */
    private static final int EDGE_PERCENT = 10;
    private static final String ID_CHARS = "abcXYZ0189._-";
    private static final String KEY_CHARS = "kK09._:-";
    private static final String CLIENT_ID_CHARS = "ab-é0";
    private static final int REPLICA_MAX = 99;
    private static final int MESSAGE_TYPES = 8;

    private final Random random;

    public Generators(Random random) {
        this.random = random;
    }

    // ---- numbers and strings -------------------------------------------------------------------

    /** Uniform in [min, max] (inclusive) with extra weight on min and max. */
    public long longBetween(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min " + min + " > max " + max);
        }
        int edge = random.nextInt(100);
        if (edge < EDGE_PERCENT) {
            return min;
        }
        if (edge < 2 * EDGE_PERCENT) {
            return max;
        }
        if (min == max) {
            return min;
        }
        // max itself is covered by the edge above, so excluding it here avoids overflowing max + 1
        return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
    }

    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    /** Any int from 0 to {@link Integer#MAX_VALUE}, e.g. to pick a bit by remainder. */
    public int nonNegativeInt() {
        return intBetween(0, Integer.MAX_VALUE);
    }

    public boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    /** A string of {@code minLength..maxLength} characters taken from {@code alphabet}. */
    public String stringOf(String alphabet, int minLength, int maxLength) {
        int length = intBetween(minLength, maxLength);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /**
     * Up to {@code maxCodePoints} arbitrary valid code points: ASCII (controls, quotes and
     * backslashes included), the rest of the BMP, and supplementary characters (surrogate pairs).
     */
    public String anyText(int maxCodePoints) {
        int length = intBetween(0, maxCodePoints);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(4);
            int cp = switch (kind) {
                case 0, 1 -> random.nextInt(0x80);
                case 2 -> random.nextInt(0x80, 0xD800);
                default -> random.nextBoolean() ? random.nextInt(0xE000, 0x10000) : random.nextInt(0x10000, 0x110000);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    public byte[] bytes(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }

    /** A list of {@code 0..maxSize} elements, each from {@code element}. */
    public <T> List<T> listOf(int maxSize, Supplier<T> element) {
        int size = intBetween(0, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.get());
        }
        return list;
    }

    // ---- transactions --------------------------------------------------------------------------

    /** A transaction signed by {@code clientKey}: any valid ids, nonce, optional key and JSON payload. */
    public Transaction transaction(Ed25519.PrivateKey clientKey) {
        String chainId = stringOf(ID_CHARS, 1, 64);
        String clientId = stringOf(ID_CHARS, 1, 64);
        long nonce = longBetween(0, Transaction.MAX_NONCE);
        String key = chance(30) ? null : stringOf(KEY_CHARS, 1, 256);
        String payload = JsonMapper.shared().writeValueAsString(payload());
        return Transaction.sign(chainId, clientId, nonce, key, payload, clientKey);
    }

    /** A JSON value: a scalar, a list of scalars, or an object of scalars. */
    private Object payload() {
        return switch (random.nextInt(3)) {
            case 0 -> scalar();
            case 1 -> listOf(5, this::scalar);
            default -> {
                Map<String, Object> object = new LinkedHashMap<>();
                int size = intBetween(0, 5);
                for (int i = 0; i < size; i++) {
                    object.put(anyText(12), scalar());
                }
                yield object;
            }
        };
    }

    private Object scalar() {
        return switch (random.nextInt(4)) {
            case 0 -> (int) longBetween(Integer.MIN_VALUE, Integer.MAX_VALUE);
            case 1 -> anyText(40);
            case 2 -> random.nextBoolean();
            default -> random.nextBoolean() ? random.nextDouble(-1e9, 1e9) : random.nextInt(-100_000, 100_000) / 100.0;
        };
    }

    // ---- peer messages -------------------------------------------------------------------------

    public int replica() {
        return intBetween(0, REPLICA_MAX);
    }

    /** A view, sequence number or timestamp: any non-negative long. */
    public long counter() {
        return longBetween(0, Long.MAX_VALUE);
    }

    public Digest digest() {
        return new Digest(bytes(Digest.LENGTH));
    }

    public byte[] signature() {
        return bytes(Signed.SIGNATURE_LENGTH);
    }

    public ClientRequest clientRequest() {
        return new ClientRequest(stringOf(CLIENT_ID_CHARS, 1, 20), longBetween(0, Transaction.MAX_NONCE), digest(),
                bytes(intBetween(0, 64)));
    }

    public <T extends PbftMessage> Signed<T> signed(T message) {
        return new Signed<>(message, signature());
    }

    public PrePrepare prePrepare() {
        long timestamp = counter();
        List<ClientRequest> batch = listOf(4, this::clientRequest);
        return new PrePrepare(replica(), counter(), counter(), timestamp, BatchDigest.ofRequests(timestamp, batch), batch);
    }

    public Prepare prepare() {
        return new Prepare(replica(), counter(), counter(), digest());
    }

    public Commit commit() {
        return new Commit(replica(), counter(), counter(), digest());
    }

    public Status status() {
        return new Status(replica(), counter(), counter());
    }

    public Checkpoint checkpoint() {
        return new Checkpoint(replica(), counter(), digest());
    }

    public Forward forward() {
        return new Forward(replica(), listOf(4, this::clientRequest));
    }

    public PreparedProof preparedProof() {
        return new PreparedProof(signed(prePrepare()), listOf(3, () -> signed(prepare())));
    }

    /** A VIEW-CHANGE with up to 3 signed checkpoints and up to 2 prepared proofs. */
    public ViewChange viewChange() {
        return new ViewChange(replica(), counter(), counter(), listOf(3, () -> signed(checkpoint())),
                listOf(2, this::preparedProof));
    }

    /** A NEW-VIEW with up to 2 signed view changes and up to 2 signed pre-prepares. */
    public NewView newView() {
        return new NewView(replica(), counter(), listOf(2, () -> signed(viewChange())), listOf(2, () -> signed(prePrepare())));
    }

    /** Any of the seven peer message types, each equally likely. */
    public PbftMessage message() {
        return switch (random.nextInt(MESSAGE_TYPES)) {
            case 0 -> prePrepare();
            case 1 -> prepare();
            case 2 -> commit();
            case 3 -> checkpoint();
            case 4 -> forward();
            case 5 -> viewChange();
            case 6 -> status();
            default -> newView();
        };
    }

    public Signed<PbftMessage> signedMessage() {
        return signed(message());
    }
}
