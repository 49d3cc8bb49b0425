package io.pbftledger.pbft.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageCodecTest {
    private static final MessageCodec.Limits LIMITS = new MessageCodec.Limits(10, 5, 100, 10_000);
    private static final byte[] SIG = new byte[64];
    private static final SigningDomain DOMAIN = new SigningDomain(Digest.fromHex("ab".repeat(32)));
    /** ASCII "pbft-ledger/replica-signature/v1" followed by the genesis hash. */
    private static final String DOMAIN_HEX = "706266742d6c65646765722f7265706c6963612d7369676e61747572652f7631" + "ab".repeat(32);

    static {
        Arrays.fill(SIG, (byte) 0x5a);
    }

    private static ClientRequest request(String client, long nonce, int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 7);
        return new ClientRequest(client, nonce, Digest.sha256(client.getBytes(StandardCharsets.UTF_8), body), body);
    }

    private static List<Signed<?>> samples() {
        List<ClientRequest> batch = List.of(request("alice", 1, 10), request("bob-é", 2, 0));
        Digest d = BatchDigest.ofRequests(99, batch);
        return List.of(
                new Signed<>(new PrePrepare(0, 3, 17, 99, d, batch), SIG),
                new Signed<>(new Prepare(1, 3, 17, d), SIG),
                new Signed<>(new Commit(2, 3, 17, d), SIG),
                new Signed<>(new Checkpoint(3, 100, Digest.sha256(new byte[] {1})), SIG),
                new Signed<>(new Forward(2, batch), SIG),
                viewChange(),
                new Signed<>(new NewView(0, 4, List.of(viewChange()), List.of(
                        new Signed<>(new PrePrepare(0, 4, 17, 99, d, batch), SIG),
                        new Signed<>(new PrePrepare(0, 4, 18, 99, BatchDigest.ofRequests(99, List.of()), List.of()), SIG))),
                        SIG),
                new Signed<>(new Status(3, 4, 16), SIG));
    }

    @Test
    void statusSigningBytesAreTheDocumentedLayout() {
        byte[] bytes = MessageCodec.signingBytes(DOMAIN, new Status(3, 4, 16));
        assertThat(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(
                DOMAIN_HEX + "50424654" + "01" + "08" + "00000003" + "0000000000000004" + "0000000000000010");
    }

    private static Signed<ViewChange> viewChange() {
        List<ClientRequest> batch = List.of(request("alice", 1, 10), request("bob-é", 2, 0));
        Digest d = BatchDigest.ofRequests(99, batch);
        Digest state = Digest.sha256(new byte[] {1});
        return new Signed<>(new ViewChange(1, 4, 16,
                List.of(new Signed<>(new Checkpoint(0, 16, state), SIG), new Signed<>(new Checkpoint(2, 16, state), SIG)),
                List.of(new PreparedProof(new Signed<>(new PrePrepare(0, 3, 17, 99, d, batch), SIG),
                        List.of(new Signed<>(new Prepare(1, 3, 17, d), SIG), new Signed<>(new Prepare(2, 3, 17, d), SIG))))),
                SIG);
    }

    @Test
    void viewChangeSigningBytesLeaveOutBatchBodiesLikeAPrePrepare() {
        Signed<?> vc = viewChange();
        ViewChange m = (ViewChange) vc.message();
        PrePrepare pp = m.prepared().get(0).prePrepare().message();
        List<ClientRequest> otherBodies = List.of(
                new ClientRequest("alice", 1, pp.batch().get(0).id(), new byte[] {9, 9}), pp.batch().get(1));
        ViewChange sameIds = new ViewChange(1, 4, 16, m.checkpointProof(), List.of(new PreparedProof(
                new Signed<>(new PrePrepare(0, 3, 17, 99, pp.batchDigest(), otherBodies), SIG), m.prepared().get(0).prepares())));
        assertThat(MessageCodec.signingBytes(DOMAIN, sameIds)).isEqualTo(MessageCodec.signingBytes(DOMAIN, m));
        assertThat(MessageCodec.encode(new Signed<>(sameIds, SIG))).isNotEqualTo(MessageCodec.encode(vc));
    }

    @Test
    void nestedMessagesMustHaveTheTypeTheirPositionRequires() {
        Digest state = Digest.sha256(new byte[] {1});
        // A VIEW-CHANGE whose checkpoint proof holds a Commit instead of a Checkpoint.
        byte[] good = MessageCodec.encode(new Signed<>(new ViewChange(1, 4, 16,
                List.of(new Signed<>(new Checkpoint(0, 16, state), SIG)), List.of()), SIG));
        int nestedTypeAt = 4 + 1 + 1 + 4 + 8 + 8 + 4 + 5;
        assertThat(good[nestedTypeAt]).isEqualTo(MessageCodec.TYPE_CHECKPOINT);
        good[nestedTypeAt] = MessageCodec.TYPE_VIEW_CHANGE;
        assertThatThrownBy(() -> MessageCodec.decode(good, LIMITS)).isInstanceOf(MessageFormatException.class)
                .hasMessageContaining("expected nested message type 4, got 6");
    }

    @Test
    void everyMessageTypeRoundTrips() {
        for (Signed<?> s : samples()) {
            Signed<?> back = MessageCodec.decode(MessageCodec.encode(s), LIMITS);
            assertThat(back).isEqualTo(s);
            assertThat(MessageCodec.signingBytes(DOMAIN, back.message())).isEqualTo(MessageCodec.signingBytes(DOMAIN, s.message()));
        }
        List<Signed<?>> all = samples();
        assertThat(MessageCodec.decodeAll(MessageCodec.encodeAll(all), LIMITS)).isEqualTo(all);
        assertThat(MessageCodec.decodeAll(MessageCodec.encodeAll(List.of()), LIMITS)).isEmpty();
    }

    @Test
    void roundTripKeepsRequestBodies() {
        PrePrepare pp = (PrePrepare) MessageCodec.decode(MessageCodec.encode(samples().get(0)), LIMITS).message();
        assertThat(pp.batch().get(0).body()).hasSize(10).containsOnly(7);
        assertThat(pp.batch().get(1).clientId()).isEqualTo("bob-é");
    }

    @Test
    void signingBytesOfPrepareFollowTheDocumentedLayout() {
        Digest d = Digest.fromHex("00".repeat(31) + "ff");
        byte[] bytes = MessageCodec.signingBytes(DOMAIN, new Prepare(1, 2, 3, d));
        String expected = DOMAIN_HEX + "50424654" + "01" + "02" + "00000001" + "0000000000000002" + "0000000000000003"
                + "00".repeat(31) + "ff";
        assertThat(HexFormat.of().formatHex(bytes)).isEqualTo(expected);
    }

    @Test
    void signingBytesNameTheChainSoAVoteForOneChainIsNotAVoteForAnother() {
        Commit vote = new Commit(1, 2, 3, Digest.sha256(new byte[] {3}));
        SigningDomain other = new SigningDomain(Digest.fromHex("cd".repeat(32)));
        assertThat(MessageCodec.signingBytes(DOMAIN, vote)).isNotEqualTo(MessageCodec.signingBytes(other, vote));
        assertThat(HexFormat.of().formatHex(MessageCodec.signingBytes(other, vote)))
                .startsWith(DOMAIN_HEX.substring(0, 64) + "cd".repeat(32) + "50424654" + "01" + "03");
        assertThat(MessageCodec.encode(new Signed<>(vote, SIG))).as("the wire form carries no domain")
                .startsWith(0x50, 0x42, 0x46, 0x54, 1, 3);
    }

    @Test
    void signingBytesOfPrePrepareCoverIdsButNotBodies() {
        ClientRequest a = request("alice", 1, 10);
        ClientRequest sameIdOtherBody = new ClientRequest("alice", 1, a.id(), new byte[] {1});
        Digest d = BatchDigest.ofRequests(5, List.of(a));
        byte[] one = MessageCodec.signingBytes(DOMAIN, new PrePrepare(0, 0, 1, 5, d, List.of(a)));
        byte[] two = MessageCodec.signingBytes(DOMAIN, new PrePrepare(0, 0, 1, 5, d, List.of(sameIdOtherBody)));
        assertThat(one).isEqualTo(two).hasSize(64 + 4 + 2 + 4 + 8 + 8 + 8 + 32 + 4 + 32);
    }

    @Test
    void signingBytesOfForwardCoverIdsClientsAndNonces() {
        ClientRequest a = request("alice", 1, 10);
        byte[] one = MessageCodec.signingBytes(DOMAIN, new Forward(1, List.of(a)));
        byte[] otherNonce = MessageCodec.signingBytes(DOMAIN, new Forward(1, List.of(new ClientRequest("alice", 2, a.id(), a.body()))));
        assertThat(one).isNotEqualTo(otherNonce).hasSize(64 + 4 + 2 + 4 + 4 + 32 + 2 + 5 + 8);
    }

    @Test
    void rejectsEveryTruncation() {
        for (Signed<?> s : samples()) {
            byte[] bytes = MessageCodec.encode(s);
            for (int cut = 0; cut < bytes.length; cut++) {
                byte[] prefix = Arrays.copyOf(bytes, cut);
                assertThatThrownBy(() -> MessageCodec.decode(prefix, LIMITS))
                        .isInstanceOf(MessageFormatException.class);
            }
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = MessageCodec.encode(samples().get(1));
        assertThatThrownBy(() -> MessageCodec.decode(Arrays.copyOf(bytes, bytes.length + 1), LIMITS))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("trailing");
    }

    @Test
    void rejectsUnknownVersionTypeAndMagic() {
        byte[] bytes = MessageCodec.encode(samples().get(1));
        byte[] version = bytes.clone();
        version[4] = 2;
        assertThatThrownBy(() -> MessageCodec.decode(version, LIMITS)).hasMessageContaining("version 2");
        byte[] type = bytes.clone();
        type[5] = 9;
        assertThatThrownBy(() -> MessageCodec.decode(type, LIMITS)).hasMessageContaining("unknown message type 9");
        byte[] magic = bytes.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> MessageCodec.decode(magic, LIMITS)).hasMessageContaining("magic");
    }

    @Test
    void rejectsNegativeNumbers() {
        byte[] bytes = MessageCodec.encode(samples().get(1));
        byte[] view = bytes.clone();
        view[10] = (byte) 0x80; // high bit of the u64 view
        assertThatThrownBy(() -> MessageCodec.decode(view, LIMITS))
                .isInstanceOf(MessageFormatException.class).hasMessageContaining("view out of range");
    }

    @Test
    void rejectsOversizedBatchesBodiesAndMessageCounts() {
        List<ClientRequest> six = List.of(request("a", 1, 1), request("a", 2, 1), request("a", 3, 1),
                request("a", 4, 1), request("a", 5, 1), request("a", 6, 1));
        byte[] forward = MessageCodec.encode(new Signed<>(new Forward(1, six), SIG));
        assertThatThrownBy(() -> MessageCodec.decode(forward, LIMITS)).hasMessageContaining("exceeds limit 5");

        byte[] big = MessageCodec.encode(new Signed<>(new Forward(1, List.of(request("a", 1, 101))), SIG));
        assertThatThrownBy(() -> MessageCodec.decode(big, LIMITS)).hasMessageContaining("101 bytes exceeds limit 100");

        List<Signed<?>> eleven = java.util.Collections.nCopies(11, samples().get(1));
        assertThatThrownBy(() -> MessageCodec.decodeAll(MessageCodec.encodeAll(eleven), LIMITS))
                .hasMessageContaining("message count 11 exceeds limit 10");

        byte[] total = MessageCodec.encodeAll(java.util.Collections.nCopies(10, samples().get(0)));
        assertThatThrownBy(() -> MessageCodec.decodeAll(total, new MessageCodec.Limits(10, 5, 100, 100)))
                .hasMessageContaining("exceeds limit 100");
    }

    @Test
    void forgedHugeCountsFailBeforeAllocating() {
        ByteBuffer b = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).putInt(0);
        assertThatThrownBy(() -> MessageCodec.decodeAll(b.array(), MessageCodec.Limits.DEFAULT))
                .isInstanceOf(MessageFormatException.class);
        byte[] one = MessageCodec.encodeAll(List.of(samples().get(1)));
        ByteBuffer.wrap(one).putInt(4, 1_000_000); // the length of the only message
        assertThatThrownBy(() -> MessageCodec.decodeAll(one, LIMITS)).hasMessageContaining("truncated");
    }

    @Test
    void rejectsMalformedUtf8() {
        byte[] bytes = MessageCodec.encode(new Signed<>(new Forward(1, List.of(request("ab", 1, 1))), SIG));
        int clientAt = 4 + 2 + 4 + 4 + 32 + 2;
        bytes[clientAt] = (byte) 0xff;
        assertThatThrownBy(() -> MessageCodec.decode(bytes, LIMITS)).hasMessageContaining("UTF-8");
    }

    @Test
    void randomCorruptionOnlyEverRaisesMessageFormatException() {
        Random rnd = new Random(1);
        List<Signed<?>> all = samples();
        byte[] valid = MessageCodec.encodeAll(all);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = valid.clone();
            for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                bytes[rnd.nextInt(bytes.length)] = (byte) rnd.nextInt(256);
            }
            try {
                MessageCodec.decodeAll(bytes, LIMITS);
            } catch (MessageFormatException expected) {
                // the only acceptable failure
            }
        }
    }

    @Test
    void digestIsComparedByContentAndPrintedAsHex() {
        Digest a = Digest.sha256("x".getBytes(StandardCharsets.UTF_8));
        Digest b = Digest.fromHex(a.hex());
        assertThat(b).isEqualTo(a).hasSameHashCodeAs(a);
        assertThat(a.toString()).isEqualTo("2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881");
        assertThat(Digest.ZERO.hex()).isEqualTo("00".repeat(32));
        assertThatThrownBy(() -> new Digest(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        byte[] raw = a.bytes();
        raw[0] ^= 1;
        assertThat(a.bytes()).isNotEqualTo(raw);
    }

    @Test
    void batchDigestIsTheDocumentedHash() {
        Digest id = Digest.sha256(new byte[] {1});
        byte[] manual = ByteBuffer.allocate(20 + 8 + 4 + 32).put("pbft-ledger/batch/v1".getBytes(StandardCharsets.US_ASCII))
                .putLong(77).putInt(1).put(id.bytes()).array();
        assertThat(BatchDigest.of(77, List.of(id))).isEqualTo(Digest.sha256(manual));
        assertThat(BatchDigest.ofRequests(77, List.of(new ClientRequest("c", 0, id, new byte[0]))))
                .isEqualTo(Digest.sha256(manual));
    }

    /** View changes travel with references: same signing bytes (so the same signature), no transaction bytes. */
    @Test
    void aViewChangeWithoutBodiesKeepsItsSigningBytesAndCarriesReferences() {
        List<ClientRequest> batch = List.of(request("alice", 1, 300), request("bob", 2, 400));
        Digest d = BatchDigest.ofRequests(99, batch);
        ViewChange full = new ViewChange(1, 4, 0, List.of(), List.of(new PreparedProof(
                new Signed<>(new PrePrepare(0, 3, 1, 99, d, batch), SIG), List.of(new Signed<>(new Prepare(2, 3, 1, d), SIG)))));
        ViewChange stripped = full.withoutBodies();

        assertThat(MessageCodec.signingBytes(DOMAIN, stripped)).isEqualTo(MessageCodec.signingBytes(DOMAIN, full));
        byte[] wire = MessageCodec.encode(new Signed<>(stripped, SIG));
        assertThat(wire.length).as("the 700 transaction bytes stay behind").isEqualTo(MessageCodec.encode(new Signed<>(full, SIG)).length - 700);
        ViewChange decoded = (ViewChange) MessageCodec.decode(wire).message();
        List<ClientRequest> carried = decoded.prepared().get(0).prePrepare().message().batch();
        assertThat(carried).containsExactlyElementsOf(batch).allSatisfy(r -> assertThat(r.isReference()).isTrue());
        assertThat(carried).extracting(ClientRequest::clientId).containsExactly("alice", "bob");
        assertThat(decoded.prepared().get(0).prePrepare().message().hasBodies()).isFalse();
        assertThat(full.prepared().get(0).prePrepare().message().hasBodies()).isTrue();
    }

    /** The bound the peer endpoint accepts is met exactly by the largest NEW-VIEW the settings allow. */
    @Test
    void viewChangeMaxBytesIsTheSizeOfTheLargestNewView() {
        int n = 4;
        int window = 3;
        int perBatch = 2;
        String longestClient = "c".repeat(MessageCodec.REFERENCE_CLIENT_ID_MAX_BYTES);
        Digest state = Digest.sha256(new byte[] {1});
        List<Signed<Checkpoint>> checkpoints = new java.util.ArrayList<>();
        for (int r = 0; r < n; r++) {
            checkpoints.add(new Signed<>(new Checkpoint(r, 3, state), SIG));
        }
        List<Signed<PrePrepare>> o = new java.util.ArrayList<>();
        List<PreparedProof> proofs = new java.util.ArrayList<>();
        for (long seq = 4; seq < 4 + window; seq++) {
            List<ClientRequest> refs = new java.util.ArrayList<>();
            for (int i = 0; i < perBatch; i++) {
                refs.add(request(longestClient, seq * 10 + i, 50).reference());
            }
            Digest d = BatchDigest.ofRequests(99, refs);
            List<Signed<Prepare>> prepares = new java.util.ArrayList<>();
            for (int r = 0; r < n; r++) {
                prepares.add(new Signed<>(new Prepare(r, 2, seq, d), SIG));
            }
            proofs.add(new PreparedProof(new Signed<>(new PrePrepare(2, 2, seq, 99, d, refs), SIG), prepares));
            o.add(new Signed<>(new PrePrepare(3, 3, seq, 99, d, refs), SIG));
        }
        List<Signed<ViewChange>> v = new java.util.ArrayList<>();
        for (int r = 0; r < 3; r++) {
            v.add(new Signed<>(new ViewChange(r, 3, 3, checkpoints, proofs), SIG));
        }
        Signed<NewView> largest = new Signed<>(new NewView(3, 3, v, o), SIG);

        assertThat((long) MessageCodec.encodeAll(List.of(largest)).length)
                .isEqualTo(MessageCodec.viewChangeMaxBytes(n, window, perBatch));
        assertThat(MessageCodec.viewChangeMaxBytes(4, 200, 500)).as("the defaults: ~44 MB").isBetween(40_000_000L, 48_000_000L);
    }
}
