package io.pbftledger.pbft.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical binary encoding of consensus messages. Stateless: every method is static and
 * thread-safe.
 *
 * <h2>Signing bytes</h2>
 * What a signature covers. Big-endian; {@code u16 string} = u16 length + UTF-8;
 * {@code list} = u32 count + items.
 * <pre>
 * signing bytes = domain | header | fields
 * domain      "pbft-ledger/replica-signature/v1" (32 ASCII bytes) | 32 genesis block hash ({@link SigningDomain})
 * header      "PBFT" (4 ASCII bytes) | u8 version (=1) | u8 type
 * 1 PrePrepare  u32 replica | u64 view | u64 sequence | u64 timestamp | 32 batchDigest
 *               | u32 count | count x (32 request id)
 * 2 Prepare     u32 replica | u64 view | u64 sequence | 32 batchDigest
 * 3 Commit      u32 replica | u64 view | u64 sequence | 32 batchDigest
 * 4 Checkpoint  u32 replica | u64 sequence | 32 stateDigest
 * 5 Forward     u32 replica | u32 count | count x (32 id | u16 string clientId | u64 nonce)
 * 6 ViewChange  u32 replica | u64 newView | u64 stableSequence
 *               | u32 count | count x (nested Checkpoint)
 *               | u32 count | count x (nested PrePrepare | u32 count | count x (nested Prepare))
 * 7 NewView     u32 replica | u64 view | u32 count | count x (nested ViewChange)
 *               | u32 count | count x (nested PrePrepare)
 * 8 Status      u32 replica | u64 view | u64 lastCommitted
 * nested X    = header and fields of X (no domain) | 64 signature
 * </pre>
 * The domain separates chains: a signature made for one chain's genesis does not verify on another.
 * It is written once, before the outermost message; a nested signature covers the nested message's
 * own signing bytes (domain included), so it is bound to the chain as well.
 * Nested messages are written in the same form (signing or wire) as the message around them, so the
 * signing bytes of a VIEW-CHANGE or NEW-VIEW leave out the batch bodies of the pre-prepares inside it,
 * exactly like a PrePrepare's own signing bytes. Each nested signature covers the nested message's
 * own signing bytes, so the core can check it with a {@code MessageVerifier}.
 * The batch bodies of a PrePrepare are not signed by the primary: each request is signed by its
 * client and bound by its id, and the ids are bound (with the timestamp) by {@link BatchDigest}.
 *
 * <h2>Wire encoding of one {@code Signed} message ({@link #encode})</h2>
 * The signing bytes without the domain, with every request list written in full, followed by the
 * signature (the receiver knows its chain and puts the domain back to verify):
 * <pre>
 * header | fields as above, except that PrePrepare and Forward request items are
 *          32 id | u16 string clientId | u64 nonce | u32 bodyLength | body
 *        | 64 signature
 * </pre>
 * <h2>Several messages per HTTP body ({@link #encodeAll})</h2>
 * <pre>
 * u32 count | count x (u32 length | wire encoding of one message)
 * </pre>
 * <h2>Decoding</h2>
 * Strict: unknown magic, version or type, negative (high-bit) integers, malformed UTF-8, counts or
 * lengths beyond the bytes that remain or beyond {@link Limits}, and trailing bytes all throw
 * {@link MessageFormatException}. Nothing is allocated from a length before it is checked.
 */
public final class MessageCodec {
    public static final int PROTOCOL_VERSION = 1;
    public static final byte TYPE_PRE_PREPARE = 1;
    public static final byte TYPE_PREPARE = 2;
    public static final byte TYPE_COMMIT = 3;
    public static final byte TYPE_CHECKPOINT = 4;
    public static final byte TYPE_FORWARD = 5;
    public static final byte TYPE_VIEW_CHANGE = 6;
    public static final byte TYPE_NEW_VIEW = 7;
    public static final byte TYPE_STATUS = 8;

    private static final byte[] MAGIC = "PBFT".getBytes(StandardCharsets.US_ASCII);
    /** 32 id + 2 clientId length + 8 nonce + 4 body length: the least a wire request can take. */
    private static final int MIN_WIRE_REQUEST_BYTES = 46;
    /** header 6 + the smallest fixed fields (an empty ViewChange: 28) + signature 64: the least a nested message takes. */
    private static final int MIN_NESTED_BYTES = 98;
    private static final int ANY_TYPE = -1;

    /** Bounds on what a decoder accepts from one HTTP body. All must be positive. */
    public record Limits(int maxMessages, int maxBatchRequests, int maxRequestBytes, long maxTotalBytes) {
        public static final Limits DEFAULT = new Limits(4096, 10_000, 1 << 20, 256L << 20);

        public Limits {
            if (maxMessages <= 0 || maxBatchRequests <= 0 || maxRequestBytes <= 0 || maxTotalBytes <= 0) {
                throw new IllegalArgumentException("all limits must be positive");
            }
        }
    }

    /** The longest client id a reference may carry: a member's id has at most 64 ASCII characters. */
    public static final int REFERENCE_CLIENT_ID_MAX_BYTES = 64;

    private MessageCodec() {
    }

    /**
     * An upper bound on the wire size of one NEW-VIEW, and so of any VIEW-CHANGE, in {@link #encodeAll}
     * framing: 2f+1 view changes, each with a checkpoint proof and a prepared certificate for every
     * sequence of the watermark window, plus O for the whole window, every pre-prepare full with
     * references (at most {@link #REFERENCE_CLIENT_ID_MAX_BYTES} of client id) and every certificate
     * holding n messages. A peer endpoint that accepts this many bytes accepts every view change the
     * protocol can produce; with whole transactions inside no such bound exists.
     */
    public static long viewChangeMaxBytes(int n, long window, int batchMaxTransactions) {
        if (n < 1 || window < 1 || batchMaxTransactions < 1) {
            throw new IllegalArgumentException("n, window and batchMaxTransactions must be positive");
        }
        long header = MAGIC.length + 2;
        long signature = Signed.SIGNATURE_LENGTH;
        long checkpoint = header + 4 + 8 + 32 + signature;
        long prepare = header + 4 + 8 + 8 + 32 + signature;
        long reference = 32 + 2 + REFERENCE_CLIENT_ID_MAX_BYTES + 8 + 4;
        long prePrepare = header + 4 + 8 + 8 + 8 + 32 + 4 + batchMaxTransactions * reference + signature;
        long proof = prePrepare + 4 + n * prepare;
        long viewChange = header + 4 + 8 + 8 + 4 + n * checkpoint + 4 + window * proof + signature;
        int quorum = new Quorums(n).quorum();
        long newView = header + 4 + 8 + 4 + quorum * viewChange + 4 + window * prePrepare + signature;
        return 4 + 4 + newView;
    }

    /**
     * The largest wire size of one PREPARE, COMMIT, CHECKPOINT or STATUS (messages of fixed size) in
     * {@link #encodeAll} framing: its u32 length included, the body's u32 count not.
     */
    public static int voteMaxBytes() {
        int header = MAGIC.length + 2;
        int prepareOrCommit = header + 4 + 8 + 8 + Digest.LENGTH + Signed.SIGNATURE_LENGTH;
        int checkpoint = header + 4 + 8 + Digest.LENGTH + Signed.SIGNATURE_LENGTH;
        int status = header + 4 + 8 + 8 + Signed.SIGNATURE_LENGTH;
        return 4 + Math.max(prepareOrCommit, Math.max(checkpoint, status));
    }

    /**
     * An upper bound on the wire size of one PRE-PREPARE or FORWARD in {@link #encodeAll} framing (its
     * u32 length included, the body's u32 count not) that holds at most {@code maxRequests} requests
     * whose bodies total at most {@code bodyBytes}, each with a client id of at most
     * {@link #REFERENCE_CLIENT_ID_MAX_BYTES} bytes (a member's id).
     */
    public static long orderingMaxBytes(int maxRequests, long bodyBytes) {
        if (maxRequests < 1 || bodyBytes < 0) {
            throw new IllegalArgumentException("maxRequests must be positive and bodyBytes not negative");
        }
        long header = MAGIC.length + 2;
        // a PRE-PREPARE's fixed fields; a FORWARD's (replica, count) are fewer
        long fixed = header + 4 + 8 + 8 + 8 + Digest.LENGTH + 4 + Signed.SIGNATURE_LENGTH;
        long request = Digest.LENGTH + 2 + REFERENCE_CLIENT_ID_MAX_BYTES + 8 + 4;
        return 4 + fixed + maxRequests * request + bodyBytes;
    }

    /** Names the signature format; a change to what replicas sign gets a new version here. */
    private static final byte[] SIGNING_DOMAIN_TAG = "pbft-ledger/replica-signature/v1".getBytes(StandardCharsets.US_ASCII);

    /** The canonical bytes a replica's signature over {@code m} covers on the chain of {@code domain}. */
    public static byte[] signingBytes(SigningDomain domain, PbftMessage m) {
        ByteWriter w = new ByteWriter(SIGNING_DOMAIN_TAG.length + Digest.LENGTH + estimate(m, false));
        w.bytes(SIGNING_DOMAIN_TAG).digest(domain.genesisHash());
        writeMessage(w, m, false);
        return w.toByteArray();
    }

    /** About the bytes {@link #encode} writes for {@code s}, without encoding it (for byte budgets). */
    public static int encodedSizeEstimate(Signed<?> s) {
        return estimate(s.message(), true) + Signed.SIGNATURE_LENGTH;
    }

    public static byte[] encode(Signed<?> s) {
        ByteWriter w = new ByteWriter(estimate(s.message(), true) + Signed.SIGNATURE_LENGTH);
        writeSigned(w, s);
        return w.toByteArray();
    }

    public static byte[] encodeAll(List<? extends Signed<?>> messages) {
        int estimate = 4;
        for (Signed<?> s : messages) {
            estimate += 4 + estimate(s.message(), true) + Signed.SIGNATURE_LENGTH;
        }
        ByteWriter w = new ByteWriter(estimate);
        w.u32(messages.size());
        for (Signed<?> s : messages) {
            int at = w.size();
            w.u32(0);
            writeSigned(w, s);
            w.patchU32(at, w.size() - at - 4);
        }
        return w.toByteArray();
    }

    /** Decodes one message under {@link Limits#DEFAULT}. */
    public static Signed<?> decode(byte[] bytes) {
        return decode(bytes, Limits.DEFAULT);
    }

    public static Signed<?> decode(byte[] bytes, Limits limits) {
        checkTotal(bytes, limits);
        ByteReader r = new ByteReader(bytes, 0, bytes.length);
        Signed<?> s = readSigned(r, limits);
        noTrailing(r);
        return s;
    }

    public static List<Signed<?>> decodeAll(byte[] body, Limits limits) {
        checkTotal(body, limits);
        ByteReader r = new ByteReader(body, 0, body.length);
        int count = r.count(limits.maxMessages(), 4, "message count");
        List<Signed<?>> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int length = r.u32("message length");
            if (length > r.remaining()) {
                throw new MessageFormatException("truncated: message " + i + " declares " + length
                        + " bytes, " + r.remaining() + " remain");
            }
            ByteReader item = new ByteReader(body, r.position(), length);
            out.add(readSigned(item, limits));
            noTrailing(item);
            r.bytesSkipped(length);
        }
        noTrailing(r);
        return out;
    }

    private static void checkTotal(byte[] bytes, Limits limits) {
        if (bytes == null) {
            throw new MessageFormatException("no bytes");
        }
        if (bytes.length > limits.maxTotalBytes()) {
            throw new MessageFormatException("body of " + bytes.length + " bytes exceeds limit "
                    + limits.maxTotalBytes());
        }
    }

    private static void noTrailing(ByteReader r) {
        if (r.remaining() != 0) {
            throw new MessageFormatException(r.remaining() + " trailing bytes");
        }
    }

    private static int estimate(PbftMessage m, boolean full) {
        if (m instanceof PrePrepare p) {
            return 64 + p.batch().size() * (full ? 96 : 32) + (full ? bodies(p.batch()) : 0);
        }
        if (m instanceof Forward f) {
            return 16 + f.requests().size() * 96 + (full ? bodies(f.requests()) : 0);
        }
        if (m instanceof ViewChange vc) {
            int total = 64 + vc.checkpointProof().size() * 128;
            for (PreparedProof p : vc.prepared()) {
                total += 80 + estimate(p.prePrepare().message(), full) + p.prepares().size() * 128;
            }
            return total;
        }
        if (m instanceof NewView nv) {
            int total = 64;
            for (Signed<ViewChange> vc : nv.viewChanges()) {
                total += 64 + estimate(vc.message(), full);
            }
            for (Signed<PrePrepare> pp : nv.prePrepares()) {
                total += 64 + estimate(pp.message(), full);
            }
            return total;
        }
        return 64;
    }

    private static int bodies(List<ClientRequest> requests) {
        long total = 0;
        for (ClientRequest r : requests) {
            total += r.size();
        }
        return (int) Math.min(total, Integer.MAX_VALUE / 2);
    }

    private static void writeSigned(ByteWriter w, Signed<?> s) {
        writeMessage(w, s.message(), true);
        w.bytes(s.signature());
    }

    private static void writeMessage(ByteWriter w, PbftMessage m, boolean full) {
        w.bytes(MAGIC).u8(PROTOCOL_VERSION);
        if (m instanceof PrePrepare p) {
            w.u8(TYPE_PRE_PREPARE).u32(p.replica()).u64(p.view()).u64(p.sequence()).u64(p.timestamp())
                    .digest(p.batchDigest()).u32(p.batch().size());
            for (ClientRequest r : p.batch()) {
                if (full) {
                    writeRequest(w, r, true);
                } else {
                    w.digest(r.id());
                }
            }
        } else if (m instanceof Prepare p) {
            w.u8(TYPE_PREPARE).u32(p.replica()).u64(p.view()).u64(p.sequence()).digest(p.batchDigest());
        } else if (m instanceof Commit c) {
            w.u8(TYPE_COMMIT).u32(c.replica()).u64(c.view()).u64(c.sequence()).digest(c.batchDigest());
        } else if (m instanceof Checkpoint c) {
            w.u8(TYPE_CHECKPOINT).u32(c.replica()).u64(c.sequence()).digest(c.stateDigest());
        } else if (m instanceof Forward f) {
            w.u8(TYPE_FORWARD).u32(f.replica()).u32(f.requests().size());
            for (ClientRequest r : f.requests()) {
                writeRequest(w, r, full);
            }
        } else if (m instanceof ViewChange vc) {
            w.u8(TYPE_VIEW_CHANGE).u32(vc.replica()).u64(vc.newView()).u64(vc.stableSequence())
                    .u32(vc.checkpointProof().size());
            for (Signed<Checkpoint> c : vc.checkpointProof()) {
                writeNested(w, c, full);
            }
            w.u32(vc.prepared().size());
            for (PreparedProof p : vc.prepared()) {
                writeNested(w, p.prePrepare(), full);
                w.u32(p.prepares().size());
                for (Signed<Prepare> prepare : p.prepares()) {
                    writeNested(w, prepare, full);
                }
            }
        } else if (m instanceof NewView nv) {
            w.u8(TYPE_NEW_VIEW).u32(nv.replica()).u64(nv.view()).u32(nv.viewChanges().size());
            for (Signed<ViewChange> vc : nv.viewChanges()) {
                writeNested(w, vc, full);
            }
            w.u32(nv.prePrepares().size());
            for (Signed<PrePrepare> pp : nv.prePrepares()) {
                writeNested(w, pp, full);
            }
        } else if (m instanceof Status st) {
            w.u8(TYPE_STATUS).u32(st.replica()).u64(st.view()).u64(st.lastCommitted());
        } else {
            throw new IllegalArgumentException("unknown message " + m.getClass());
        }
    }

    private static void writeNested(ByteWriter w, Signed<?> s, boolean full) {
        writeMessage(w, s.message(), full);
        w.bytes(s.signature());
    }

    private static void writeRequest(ByteWriter w, ClientRequest r, boolean withBody) {
        w.digest(r.id()).string(r.clientId()).u64(r.nonce());
        if (withBody) {
            w.u32(r.size()).bytes(r.body());
        }
    }

    private static Signed<?> readSigned(ByteReader r, Limits limits) {
        return readSigned(r, limits, ANY_TYPE);
    }

    /**
     * @param expectedType the only type accepted (checked before anything is parsed), or ANY_TYPE at
     *     the outermost level; a nested message's type is fixed by its position, so nesting is at most
     *     two levels deep (NEW-VIEW > VIEW-CHANGE > pre-prepare) whatever the input says.
     */
    private static Signed<?> readSigned(ByteReader r, Limits limits, int expectedType) {
        for (byte b : MAGIC) {
            if (r.u8("magic") != (b & 0xff)) {
                throw new MessageFormatException("bad magic: not a pbft-ledger message");
            }
        }
        int version = r.u8("version");
        if (version != PROTOCOL_VERSION) {
            throw new MessageFormatException("unsupported protocol version " + version);
        }
        int type = r.u8("type");
        if (expectedType != ANY_TYPE && type != expectedType) {
            throw new MessageFormatException("expected nested message type " + expectedType + ", got " + type);
        }
        PbftMessage m;
        try {
            m = switch (type) {
                case TYPE_PRE_PREPARE -> readPrePrepare(r, limits);
                case TYPE_PREPARE -> new Prepare(replica(r), r.u64("view"), r.u64("sequence"), r.digest("batchDigest"));
                case TYPE_COMMIT -> new Commit(replica(r), r.u64("view"), r.u64("sequence"), r.digest("batchDigest"));
                case TYPE_CHECKPOINT -> new Checkpoint(replica(r), r.u64("sequence"), r.digest("stateDigest"));
                case TYPE_FORWARD -> new Forward(replica(r), readRequests(r, limits, "forward request count"));
                case TYPE_VIEW_CHANGE -> readViewChange(r, limits);
                case TYPE_NEW_VIEW -> readNewView(r, limits);
                case TYPE_STATUS -> new Status(replica(r), r.u64("view"), r.u64("lastCommitted"));
                default -> throw new MessageFormatException("unknown message type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException("invalid message field: " + e.getMessage(), e);
        }
        byte[] signature = r.bytes(Signed.SIGNATURE_LENGTH, "signature");
        return new Signed<>(m, signature);
    }

    @SuppressWarnings("unchecked")
    private static <T extends PbftMessage> Signed<T> readNested(ByteReader r, Limits limits, Class<T> type) {
        int expected = type == Checkpoint.class ? TYPE_CHECKPOINT : type == PrePrepare.class ? TYPE_PRE_PREPARE
                : type == Prepare.class ? TYPE_PREPARE : TYPE_VIEW_CHANGE;
        Signed<?> s = readSigned(r, limits, expected);
        return (Signed<T>) s;
    }

    private static ViewChange readViewChange(ByteReader r, Limits limits) {
        int replica = replica(r);
        long newView = r.u64("newView");
        long stable = r.u64("stableSequence");
        int proofCount = r.count(limits.maxMessages(), MIN_NESTED_BYTES, "checkpoint proof count");
        List<Signed<Checkpoint>> proof = new ArrayList<>(proofCount);
        for (int i = 0; i < proofCount; i++) {
            proof.add(readNested(r, limits, Checkpoint.class));
        }
        int preparedCount = r.count(limits.maxMessages(), MIN_NESTED_BYTES, "prepared certificate count");
        List<PreparedProof> prepared = new ArrayList<>(preparedCount);
        for (int i = 0; i < preparedCount; i++) {
            Signed<PrePrepare> pp = readNested(r, limits, PrePrepare.class);
            int prepareCount = r.count(limits.maxMessages(), MIN_NESTED_BYTES, "prepare count");
            List<Signed<Prepare>> prepares = new ArrayList<>(prepareCount);
            for (int j = 0; j < prepareCount; j++) {
                prepares.add(readNested(r, limits, Prepare.class));
            }
            prepared.add(new PreparedProof(pp, prepares));
        }
        return new ViewChange(replica, newView, stable, proof, prepared);
    }

    private static NewView readNewView(ByteReader r, Limits limits) {
        int replica = replica(r);
        long view = r.u64("view");
        int vcCount = r.count(limits.maxMessages(), MIN_NESTED_BYTES, "view change count");
        List<Signed<ViewChange>> viewChanges = new ArrayList<>(vcCount);
        for (int i = 0; i < vcCount; i++) {
            viewChanges.add(readNested(r, limits, ViewChange.class));
        }
        int ppCount = r.count(limits.maxMessages(), MIN_NESTED_BYTES, "pre-prepare count");
        List<Signed<PrePrepare>> prePrepares = new ArrayList<>(ppCount);
        for (int i = 0; i < ppCount; i++) {
            prePrepares.add(readNested(r, limits, PrePrepare.class));
        }
        return new NewView(replica, view, viewChanges, prePrepares);
    }

    private static int replica(ByteReader r) {
        return r.u32("replica");
    }

    private static PrePrepare readPrePrepare(ByteReader r, Limits limits) {
        int replica = replica(r);
        long view = r.u64("view");
        long sequence = r.u64("sequence");
        long timestamp = r.u64("timestamp");
        Digest digest = r.digest("batchDigest");
        return new PrePrepare(replica, view, sequence, timestamp, digest,
                readRequests(r, limits, "batch request count"));
    }

    private static List<ClientRequest> readRequests(ByteReader r, Limits limits, String what) {
        int count = r.count(limits.maxBatchRequests(), MIN_WIRE_REQUEST_BYTES, what);
        List<ClientRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Digest id = r.digest("request id");
            String clientId = r.string("clientId");
            long nonce = r.u64("nonce");
            int bodyLength = r.u32("request body length");
            if (bodyLength > limits.maxRequestBytes()) {
                throw new MessageFormatException("request body of " + bodyLength + " bytes exceeds limit "
                        + limits.maxRequestBytes());
            }
            out.add(new ClientRequest(clientId, nonce, id, r.bytes(bodyLength, "request body")));
        }
        return out;
    }
}
