package io.pbftledger.node;

import static io.pbftledger.testing.PropertyRuns.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * Any single-bit change of a genuine, signed peer message (header, fields, nested votes, the client
 * transactions in a batch, or the signature) is refused: it no longer decodes, or the replica's
 * inbound verification drops it. Verified with the real keys and the real {@link InboundVerifier},
 * over seeded random choices of message and bit; see {@link io.pbftledger.testing.PropertyRuns} for
 * the seed and tries ({@code -Dproperties.seed=N}, {@code -Dproperties.tries=N}).
 */
class SignedMessageTamperingPropertiesTest {
    private static final List<Ed25519.PrivateKey> REPLICAS = new ArrayList<>();
    private static final Ed25519.PrivateKey CLIENT = Ed25519.PrivateKey.fromSeed(seed(9));
    private static final Membership MEMBERSHIP = membership();
    private static final InboundVerifier VERIFIER = new InboundVerifier(MEMBERSHIP, 0,
            new TransactionChecks(MEMBERSHIP, new VerifiedTransactions(10_000)), ForkJoinPool.commonPool(), 100, 1 << 20);
    private static final List<Signed<?>> GENUINE = genuine();

    private static byte[] seed(int b) {
        byte[] s = new byte[32];
        java.util.Arrays.fill(s, (byte) b);
        return s;
    }

    private static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.fromSeed(seed(i + 1));
            REPLICAS.add(k);
            replicas.add(new Membership.Replica(i, "http://r" + i, k.publicKey()));
        }
        return new Membership("tamper", replicas, List.of(new Membership.Client("alice", CLIENT.publicKey(), EnumSet.of(Role.SUBMIT))));
    }

    private static <T extends PbftMessage> Signed<T> sign(int replica, T m) {
        return new Signed<>(m, REPLICAS.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(MEMBERSHIP), m)));
    }

    /** One genuine message of each type, from replicas other than the receiver (replica 0). */
    private static List<Signed<?>> genuine() {
        List<ClientRequest> batch = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Transaction tx = Transaction.sign("tamper", "alice", i, i == 0 ? "k" : null, "{\"v\":" + i + "}", CLIENT);
            batch.add(tx.toRequest());
        }
        Digest d = BatchDigest.ofRequests(1_000, batch);
        Signed<PrePrepare> pp0 = sign(0, new PrePrepare(0, 0, 5, 1_000, d, batch));
        Digest state = Digest.sha256(new byte[] {7});
        Signed<ViewChange> vc = sign(2, new ViewChange(2, 1, 0, List.<Signed<Checkpoint>>of(),
                List.of(new PreparedProof(pp0, List.of(sign(2, new Prepare(2, 0, 5, d)), sign(3, new Prepare(3, 0, 5, d)))))));
        return List.of(
                sign(1, new PrePrepare(1, 1, 5, 1_000, d, batch)),
                sign(2, new Prepare(2, 0, 5, d)),
                sign(3, new Commit(3, 0, 5, d)),
                sign(1, new Checkpoint(1, 100, state)),
                sign(2, new Forward(2, batch)),
                vc,
                sign(1, new NewView(1, 1, List.of(vc), List.of(sign(1, new PrePrepare(1, 1, 5, 1_000, d, batch))))));
    }

    @Test
    void theGenuineMessagesPass() {
        forAll(100, gen -> {
            Signed<?> message = GENUINE.get(gen.intBetween(0, GENUINE.size() - 1));
            assertThat(VERIFIER.reject(message)).as("%s", message.message()).isEmpty();
        });
    }

    @Test
    void anySingleBitChangeIsRefused() {
        forAll(2_000, gen -> {
            Signed<?> genuine = GENUINE.get(gen.intBetween(0, GENUINE.size() - 1));
            byte[] bytes = MessageCodec.encode(genuine);
            int bit = gen.nonNegativeInt() % (bytes.length * 8);
            bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            Signed<?> decoded;
            try {
                decoded = MessageCodec.decode(bytes);
            } catch (MessageFormatException | IllegalArgumentException e) {
                return; // malformed: dropped before verification
            }
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> message = (Signed<? extends PbftMessage>) decoded;
            assertThat(VERIFIER.reject(message)).as("bit %d of %s flipped", bit, genuine.message()).isPresent();
        });
    }
}
