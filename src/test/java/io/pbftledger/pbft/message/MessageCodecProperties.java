package io.pbftledger.pbft.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The canonical peer encoding round-trips for every message type, alone and several per body. */
class MessageCodecProperties {

    private static Arbitrary<Integer> replicas() {
        return Arbitraries.integers().between(0, 99);
    }

    private static Arbitrary<Long> counters() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE).edgeCases(e -> e.includeOnly(0L, Long.MAX_VALUE));
    }

    private static Arbitrary<Digest> digests() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Digest::new);
    }

    private static Arbitrary<byte[]> signatures() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Signed.SIGNATURE_LENGTH);
    }

    private static Arbitrary<ClientRequest> requests() {
        return Combinators.combine(Arbitraries.strings().withChars("ab-é0").ofMinLength(1).ofMaxLength(20),
                        Arbitraries.longs().between(0, (1L << 53) - 1), digests(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as(ClientRequest::new);
    }

    private static <T extends PbftMessage> Arbitrary<Signed<T>> signed(Arbitrary<T> messages) {
        return Combinators.combine(messages, signatures()).as(Signed::new);
    }

    private static Arbitrary<PrePrepare> prePrepares() {
        return Combinators.combine(replicas(), counters(), counters(), counters(), requests().list().ofMaxSize(4))
                .as((r, v, s, ts, batch) -> new PrePrepare(r, v, s, ts, BatchDigest.ofRequests(ts, batch), batch));
    }

    private static Arbitrary<ViewChange> viewChanges() {
        Arbitrary<PreparedProof> proofs = Combinators.combine(signed(prePrepares()),
                        signed(Combinators.combine(replicas(), counters(), counters(), digests()).as(Prepare::new)).list().ofMaxSize(3))
                .as(PreparedProof::new);
        return Combinators.combine(replicas(), counters(), counters(),
                        signed(Combinators.combine(replicas(), counters(), digests()).as(Checkpoint::new)).list().ofMaxSize(3),
                        proofs.list().ofMaxSize(2))
                .as(ViewChange::new);
    }

    @Provide
    Arbitrary<Signed<?>> messages() {
        Arbitrary<PbftMessage> any = Arbitraries.oneOf(
                prePrepares().map(m -> (PbftMessage) m),
                Combinators.combine(replicas(), counters(), counters(), digests()).as(Prepare::new).map(m -> (PbftMessage) m),
                Combinators.combine(replicas(), counters(), counters(), digests()).as(Commit::new).map(m -> (PbftMessage) m),
                Combinators.combine(replicas(), counters(), digests()).as(Checkpoint::new).map(m -> (PbftMessage) m),
                Combinators.combine(replicas(), requests().list().ofMaxSize(4)).as(Forward::new).map(m -> (PbftMessage) m),
                viewChanges().map(m -> (PbftMessage) m),
                Combinators.combine(replicas(), counters(), signed(viewChanges()).list().ofMaxSize(2),
                        signed(prePrepares()).list().ofMaxSize(2)).as(NewView::new).map(m -> (PbftMessage) m));
        return Combinators.combine(any, signatures()).as((m, sig) -> new Signed<>(m, sig));
    }

    @Property(tries = 400)
    void everyMessageTypeDecodesToItselfAndEncodesToTheSameBytes(@ForAll("messages") Signed<?> message) {
        byte[] bytes = MessageCodec.encode(message);
        Signed<?> back = MessageCodec.decode(bytes);
        assertThat(back).isEqualTo(message);
        assertThat(MessageCodec.encode(back)).isEqualTo(bytes);
        assertThat(MessageCodec.signingBytes(back.message())).isEqualTo(MessageCodec.signingBytes(message.message()));
    }

    @Property(tries = 100)
    void severalMessagesInOneBodyRoundTripInOrder(@ForAll("messages") Signed<?> a, @ForAll("messages") Signed<?> b,
                                                  @ForAll("messages") Signed<?> c) {
        List<Signed<?>> all = List.of(a, b, c);
        assertThat(MessageCodec.decodeAll(MessageCodec.encodeAll(all), MessageCodec.Limits.DEFAULT)).isEqualTo(all);
    }
}
