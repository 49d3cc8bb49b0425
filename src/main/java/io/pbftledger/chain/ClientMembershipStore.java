package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.Optional;

/**
 * The stored client membership; the storage package implements it. {@link BlockStore#append} stores
 * a block's membership changes and refusals in the block's own database transaction, so what is
 * stored is always the membership after the stored chain's last block.
 */
public interface ClientMembershipStore {

    /**
     * The client membership after the newest stored block. On a store that holds none yet (a new
     * chain, or a chain from before client membership was stored), stores {@code genesis} as the
     * membership at height 0 and returns it; the chain must hold no membership transaction then.
     */
    ClientMembership loadOrInitialize(ClientMembership genesis);

    /** The client membership in effect after block {@code height}, replayed from the stored history. */
    ClientMembership loadAt(ClientMembership genesis, long height);

    /** Why execution refused the transaction, if it did. */
    Optional<Refusal> refusal(Digest txId);

    /**
     * The refusals of the transactions that block {@code height} executed, ascending by index, read
     * in one statement (a block listing asks once, not once per transaction). Empty for a block
     * that refused nothing or that is not stored.
     */
    List<Refusal> refusalsInBlock(long height);
}
