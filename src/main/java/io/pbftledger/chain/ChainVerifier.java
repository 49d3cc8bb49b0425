package io.pbftledger.chain;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a block against its predecessor, the replica membership and the client membership in
 * effect: header hash, hash link, height, monotonic timestamp, Merkle root, batch digest, client
 * signatures (each by a key its client holds or held), re-execution to the same state hash and
 * block hash (skipping pairs that ran before, refusing unpermitted transactions), and a commit
 * certificate of 2f+1 valid COMMIT signatures from distinct replicas for (view, sequence, batchDigest),
 * signed for this chain ({@link ReplicaSignatures}).
 *
 * <p>{@link #problem(BlockHeader, Block, PriorExecution)} follows the client membership from the
 * genesis as blocks are checked in order, so one verifier checks one chain walk and is not
 * thread-safe; {@link #verify} is pure.
 */
public final class ChainVerifier {
    private final Membership membership;
    private final ReplicaSignatures signatures;
    /** The client membership after block {@link #trackedHeight}, for {@link #problem}. */
    private ClientMembership tracked;
    private long trackedHeight;

    public ChainVerifier(Membership membership) {
        this.membership = membership;
        this.signatures = new ReplicaSignatures(membership);
        this.tracked = ClientMembership.genesis(membership);
    }

    /** A verdict: the first problem, or the block re-executed (with the client membership after it). */
    public record Verdict(String problem, ExecutedBlock executed) {
        public boolean valid() {
            return problem == null;
        }

        static Verdict bad(String problem) {
            return new Verdict(problem, null);
        }
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
     * transactions are skipped, so they make no state writes. Blocks checked in order from height 1
     * are judged with the client membership their predecessors made; a block out of that order with
     * the newest membership followed.
     */
    public Optional<String> problem(BlockHeader previous, Block block, PriorExecution prior) {
        boolean inOrder = previous.height() == trackedHeight;
        Verdict verdict = verify(previous, tracked, block, prior);
        if (verdict.valid() && inOrder) {
            tracked = verdict.executed().clientsAfter();
            trackedHeight = block.height();
        }
        return Optional.ofNullable(verdict.problem());
    }

    /** Checks {@code block} as the successor of {@code previous}, after which {@code clients} was in effect. */
    public Verdict verify(BlockHeader previous, ClientMembership clients, Block block) {
        return verify(previous, clients, block, PriorExecution.NONE);
    }

    /** As {@link #verify(BlockHeader, ClientMembership, Block)}, skipping the pairs {@code prior} executed. */
    public Verdict verify(BlockHeader previous, ClientMembership clients, Block block, PriorExecution prior) {
        BlockHeader h = block.header();
        if (!h.hash().equals(block.hash())) {
            return Verdict.bad("hash does not match the header");
        }
        if (h.height() != previous.height() + 1) {
            return Verdict.bad("height " + h.height() + " does not follow " + previous.height());
        }
        if (!h.previousHash().equals(previous.hash())) {
            return Verdict.bad("previousHash does not link to block " + previous.height());
        }
        if (previous.height() > 0 && h.sequence() <= previous.sequence()) {
            return Verdict.bad("sequence " + h.sequence() + " is not above the previous block's " + previous.sequence());
        }
        if (h.timestamp() < previous.timestamp()) {
            return Verdict.bad("timestamp is before the previous block's");
        }
        if (h.transactionCount() != block.transactions().size()) {
            return Verdict.bad("transactionCount does not match the transactions");
        }
        List<byte[]> leaves = new ArrayList<>(block.transactions().size());
        // Keyed by request id: two transactions of a block may share a txId and differ in signature.
        Map<Digest, Ed25519.PublicKey> signers = new HashMap<>();
        for (int i = 0; i < block.transactions().size(); i++) {
            Transaction tx = block.transactions().get(i);
            leaves.add(tx.txId().bytes());
            Optional<String> txProblem = transactionProblem(clients, tx, tx.requestId(), signers);
            if (txProblem.isPresent()) {
                return Verdict.bad("transaction " + i + ": " + txProblem.get());
            }
        }
        if (!new Digest(MerkleTree.root(leaves)).equals(h.transactionsRoot())) {
            return Verdict.bad("transactionsRoot does not match the transactions");
        }
        List<ClientRequest> requests = OrderedRequests.of(h, block.transactions());
        if (requests.size() != block.transactions().size()) {
            return Verdict.bad("batchDigest does not match the timestamp and transactions");
        }
        // Signatures were just checked; execution asks again only for keys other than the one that verified.
        SignatureCheck known = (tx, txId, key) -> key.equals(signers.get(tx.requestId())) || tx.verify(key);
        ExecutedBlock executed = BlockExecutor.execute(previous, clients, new OrderedBatch(h.view(), h.sequence(),
                h.timestamp(), h.primary(), h.batchDigest(), requests, block.certificate()), known, prior);
        if (!executed.block().header().stateHash().equals(h.stateHash())) {
            return Verdict.bad("stateHash does not chain from the previous block's");
        }
        if (!executed.block().hash().equals(block.hash())) {
            return Verdict.bad("block does not re-execute to its hash");
        }
        Optional<String> certificate = certificateProblem(h, block.certificate());
        return certificate.isPresent() ? Verdict.bad(certificate.get()) : new Verdict(null, executed);
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
            if (!signatures.verify(signed)) {
                return Optional.of("certificate signature of replica " + c.replica() + " does not verify");
            }
            signers.add(c.replica());
        }
        if (signers.size() < membership.quorum()) {
            return Optional.of("certificate has " + signers.size() + " distinct signers; " + membership.quorum() + " are needed");
        }
        return Optional.empty();
    }

    /** Right chain, and signed by a key its client holds or held (whether it may act is execution's question). */
    private Optional<String> transactionProblem(ClientMembership clients, Transaction tx, Digest id,
                                                Map<Digest, Ed25519.PublicKey> signers) {
        if (!tx.chainId().equals(membership.chainId())) {
            return Optional.of("belongs to chain " + tx.chainId());
        }
        List<Ed25519.PublicKey> keys = clients.knownKeys(tx.clientId());
        if (keys.isEmpty()) {
            return Optional.of("client " + tx.clientId() + " is not a member");
        }
        for (Ed25519.PublicKey key : keys) {
            if (tx.verify(key)) {
                signers.put(id, key);
                return Optional.empty();
            }
        }
        return Optional.of("client signature does not verify");
    }
}
