package io.pbftledger.api;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.util.Base64;

/**
 * Signs this replica's committed answers ({@link ReplyStatement}) with its replica key. Controllers
 * hand it the facts they answer with; it never decides what is true.
 */
public final class ReplyAttestor {
    private final String chainId;
    private final int replicaId;
    private final Ed25519.PrivateKey replicaKey;
    /** Fault injection 'wrong-replies': this replica deliberately tells clients wrong (but signed) answers. */
    private final boolean lies;

    public ReplyAttestor(Membership membership, Ed25519.PrivateKey replicaKey, boolean lies) {
        this(membership.chainId(), replicaIdOf(membership, replicaKey), replicaKey, lies);
    }

    /**
     * For replica {@code replicaId}, whose key need not be the membership file's (a replica that joined,
     * or whose key was rotated, by a replica-set change).
     */
    public ReplyAttestor(String chainId, int replicaId, Ed25519.PrivateKey replicaKey, boolean lies) {
        this.chainId = chainId;
        this.replicaKey = replicaKey;
        this.replicaId = replicaId;
        this.lies = lies;
    }

    /** The membership id whose public key is this key's; the startup check guarantees there is one. */
    private static int replicaIdOf(Membership membership, Ed25519.PrivateKey key) {
        for (Membership.Replica replica : membership.replicas()) {
            if (replica.publicKey().equals(key.publicKey())) {
                return replica.id();
            }
        }
        throw new IllegalStateException("the replica key is not the key of any replica in the membership");
    }

    public int replicaId() {
        return replicaId;
    }

    /** Whether this replica is configured to lie to clients (fault injection only). */
    public boolean lies() {
        return lies;
    }

    /** "Transaction txId is committed in block (height, blockHash)." */
    public Attestation transaction(Digest txId, long height, Digest blockHash) {
        return signed(ReplyStatement.transaction(chainId, txId, height, blockHash));
    }

    /**
     * "Transaction txId is committed in block (height, blockHash)" with its outcome: a kind 1 statement
     * when it was executed, a kind 3 statement binding the refusal when execution refused it.
     */
    Attestation transaction(Digest txId, long height, Digest blockHash, TransactionOutcome outcome) {
        if (!outcome.refused()) {
            return transaction(txId, height, blockHash);
        }
        return signed(ReplyStatement.refusedTransaction(chainId, txId, height, blockHash, outcome.refusal().kind(),
                outcome.refusal().reason()));
    }

    /** "At block {@code at}, the key holds the entry's value, written by the entry's transaction." */
    public Attestation state(StateEntry entry, BlockHeader at) {
        return signed(ReplyStatement.state(chainId, entry.key(), at.height(), at.hash(), entry.value(), entry.txId()));
    }

    private Attestation signed(ReplyStatement statement) {
        return new Attestation(replicaId, statement.height(), statement.blockHash().hex(), statement.subject(),
                Base64.getEncoder().encodeToString(statement.sign(replicaKey)));
    }
}
