package io.pbftledger.pbft.message;

import static io.pbftledger.testing.PropertyRuns.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The canonical peer encoding round-trips for every message type, alone and several per body,
 * checked over seeded random messages; see {@link io.pbftledger.testing.PropertyRuns} for the seed
 * and tries ({@code -Dproperties.seed=N}, {@code -Dproperties.tries=N}).
 */
class MessageCodecPropertiesTest {

    @Test
    void everyMessageTypeDecodesToItselfAndEncodesToTheSameBytes() {
        forAll(400, gen -> {
            Signed<?> message = gen.signedMessage();
            byte[] bytes = MessageCodec.encode(message);
            Signed<?> back = MessageCodec.decode(bytes);
            assertThat(back).isEqualTo(message);
            assertThat(MessageCodec.encode(back)).isEqualTo(bytes);
            SigningDomain domain = new SigningDomain(Digest.sha256(new byte[] {5}));
            assertThat(MessageCodec.signingBytes(domain, back.message())).isEqualTo(MessageCodec.signingBytes(domain, message.message()));
        });
    }

    @Test
    void severalMessagesInOneBodyRoundTripInOrder() {
        forAll(100, gen -> {
            List<Signed<?>> all = List.of(gen.signedMessage(), gen.signedMessage(), gen.signedMessage());
            assertThat(MessageCodec.decodeAll(MessageCodec.encodeAll(all), MessageCodec.Limits.DEFAULT)).isEqualTo(all);
        });
    }
}
