package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;

/**
 * Replica signatures on consensus messages of one chain: over
 * {@link MessageCodec#signingBytes(SigningDomain, PbftMessage)} with this chain's
 * {@link Genesis#signingDomain genesis domain}, by the key the membership lists for the sender.
 * Everything that checks a replica's vote or a certificate (peer messages, commit certificates,
 * checkpoint proofs, client proofs, the offline audit) goes through here, so all check the same bytes.
 */
public final class ReplicaSignatures {
    private final Membership membership;
    private final SigningDomain domain;

    public ReplicaSignatures(Membership membership) {
        this.membership = membership;
        this.domain = Genesis.signingDomain(membership);
    }

    public SigningDomain domain() {
        return domain;
    }

    /** Whether the member the message names as its sender signed it for this chain; false for a non-member. */
    public boolean verify(Signed<? extends PbftMessage> signed) {
        return verify(signed.message().replica(), MessageCodec.signingBytes(domain, signed.message()), signed.signature());
    }

    /** Whether member {@code replica} signed {@code signingBytes}; false for a non-member. */
    public boolean verify(int replica, byte[] signingBytes, byte[] signature) {
        return replica >= 0 && replica < membership.n()
                && membership.replica(replica).publicKey().verify(signingBytes, signature);
    }

    /**
     * Whether a member of {@code epoch} names itself as the sender and signed the message for this chain
     * with the key it holds in that epoch; false for anyone else.
     */
    public boolean verify(ReplicaRoster.Epoch epoch, Signed<? extends PbftMessage> signed) {
        byte[] bytes = MessageCodec.signingBytes(domain, signed.message());
        return epoch.member(signed.message().replica())
                .map(m -> m.publicKey().verify(bytes, signed.signature())).orElse(false);
    }

    /** {@code message} signed with {@code key} for the chain of {@code domain}. */
    public static <T extends PbftMessage> Signed<T> sign(SigningDomain domain, Ed25519.PrivateKey key, T message) {
        return new Signed<>(message, key.sign(MessageCodec.signingBytes(domain, message)));
    }
}
