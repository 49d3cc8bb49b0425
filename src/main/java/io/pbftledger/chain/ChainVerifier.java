package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a block against its predecessor and the replica membership: header hash, hash link,
 * height, monotonic timestamp, Merkle root, batch digest, chained state hash, and a commit
 * certificate of 2f+1 valid COMMIT signatures from distinct replicas for (view, sequence, batchDigest).
 */
public final class ChainVerifier {
    private final Membership membership;

    public ChainVerifier(Membership membership) {
        this.membership = membership;
    }

    /**
     * The first problem with {@code block} as the successor of {@code previous}, or empty when it checks,
     * for a verifier that knows of no earlier executions (see {@link #problem(BlockHeader, Block, PriorExecution)}).
     */
    public Optional<String> problem(BlockHeader previous, Block block) {
        return problem(previous, block, PriorExecution.NONE);
    }

    /**
     * The first problem with {@code block} as the successor of {@code previous}, or empty when it checks.
     * {@code prior} says which (clientId, nonce) pairs blocks before this one executed: their
     * transactions are skipped, so they make no state writes.
     */
    public Optional<String> problem(BlockHeader previous, Block block, PriorExecution prior) {
        BlockHeader h = block.header();
        if (!h.hash().equals(block.hash())) {
            return Optional.of("hash does not match the header");
        }
        if (h.height() != previous.height() + 1) {
            return Optional.of("height " + h.height() + " does not follow " + previous.height());
        }
        if (!h.previousHash().equals(previous.hash())) {
            return Optional.of("previousHash does not link to block " + previous.height());
        }
        if (previous.height() > 0 && h.sequence() <= previous.sequence()) {
            return Optional.of("sequence " + h.sequence() + " is not above the previous block's " + previous.sequence());
        }
        if (h.timestamp() < previous.timestamp()) {
            return Optional.of("timestamp is before the previous block's");
        }
        if (h.transactionCount() != block.transactions().size()) {
            return Optional.of("transactionCount does not match the transactions");
        }
        List<byte[]> leaves = new ArrayList<>(block.transactions().size());
        List<Digest> ids = new ArrayList<>(block.transactions().size());
        for (int i = 0; i < block.transactions().size(); i++) {
            Transaction tx = block.transactions().get(i);
            Digest id = tx.txId();
            ids.add(id);
            leaves.add(id.bytes());
            Optional<String> txProblem = transactionProblem(tx);
            if (txProblem.isPresent()) {
                return Optional.of("transaction " + i + ": " + txProblem.get());
            }
        }
        if (!new Digest(MerkleTree.root(leaves)).equals(h.transactionsRoot())) {
            return Optional.of("transactionsRoot does not match the transactions");
        }
        if (!BatchDigest.of(h.timestamp(), ids).equals(h.batchDigest())) {
            return Optional.of("batchDigest does not match the timestamp and transactions");
        }
        List<StateWrite> writes = BlockExecutor.writes(block.transactions(), ids,
                PriorExecution.skipped(block.transactions(), prior));
        if (!StateHash.next(previous.stateHash(), writes).equals(h.stateHash())) {
            return Optional.of("stateHash does not chain from the previous block's");
        }
        return certificateProblem(h, block.certificate());
    }

    /** The first problem with a commit certificate for {@code h}, or empty when 2f+1 distinct replicas signed it. */
    public Optional<String> certificateProblem(BlockHeader h, List<Signed<Commit>> certificate) {
        Set<Integer> signers = new HashSet<>();
        for (Signed<Commit> signed : certificate) {
            Commit c = signed.message();
            if (c.view() != h.view() || c.sequence() != h.sequence() || !c.batchDigest().equals(h.batchDigest())) {
                return Optional.of("certificate holds a COMMIT for another view, sequence or digest");
            }
            if (c.replica() < 0 || c.replica() >= membership.n()) {
                return Optional.of("certificate holds a COMMIT from unknown replica " + c.replica());
            }
            Ed25519.PublicKey key = membership.replica(c.replica()).publicKey();
            if (!key.verify(MessageCodec.signingBytes(c), signed.signature())) {
                return Optional.of("certificate signature of replica " + c.replica() + " does not verify");
            }
            signers.add(c.replica());
        }
        if (signers.size() < membership.quorum()) {
            return Optional.of("certificate has " + signers.size() + " distinct signers; " + membership.quorum() + " are needed");
        }
        return Optional.empty();
    }

    private Optional<String> transactionProblem(Transaction tx) {
        if (!tx.chainId().equals(membership.chainId())) {
            return Optional.of("belongs to chain " + tx.chainId());
        }
        Optional<Membership.Client> client = membership.client(tx.clientId());
        if (client.isEmpty()) {
            return Optional.of("client " + tx.clientId() + " is not a member");
        }
        if (!tx.verify(client.get().publicKey())) {
            return Optional.of("client signature does not verify");
        }
        return Optional.empty();
    }
}
