package io.pbftledger.pbft.message;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the peer-message decoder under the limits a replica uses: any byte string either decodes
 * to messages whose canonical encoding decodes back to the same messages, or is refused with a
 * {@link MessageFormatException} (or the {@link IllegalArgumentException} of a record invariant,
 * which the peer endpoint also counts as malformed). Regression mode replays
 * {@code MessageCodecFuzzTestInputs}; fuzz with {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=MessageCodecFuzzTest}.
 */
class MessageCodecFuzzTest {
    private static final MessageCodec.Limits LIMITS = new MessageCodec.Limits(64, 100, 70_000, 1 << 20);

    @FuzzTest(maxDuration = "60s")
    void anyBodyDecodesToMessagesThatRoundTripOrIsRefusedAsMalformed(byte[] body) {
        List<Signed<?>> messages;
        try {
            messages = MessageCodec.decodeAll(body, LIMITS);
        } catch (MessageFormatException | IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotNull();
            return;
        }
        assertThat(messages.size()).isLessThanOrEqualTo(LIMITS.maxMessages());
        byte[] again = MessageCodec.encodeAll(messages);
        assertThat(MessageCodec.decodeAll(again, LIMITS)).isEqualTo(messages);
        for (Signed<?> s : messages) {
            assertThat(MessageCodec.decode(MessageCodec.encode(s), LIMITS)).isEqualTo(s);
        }
    }
}
