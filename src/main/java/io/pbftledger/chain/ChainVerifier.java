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
 * certificate of a quorum of valid COMMIT signatures from distinct members of the replica set that
 * ordered the block's sequence ({@link ReplicaRoster}, followed from the genesis set by the executed
 * replica-set changes) for (view, sequence, batchDigest), signed for this chain ({@link ReplicaSignatures}).
 *
 * <p>{@link #problem(BlockHeader, Block, PriorExecution)} follows the client membership from the
 * genesis as blocks are checked in order, so one verifier checks one chain walk and is not
 * thread-safe; {@link #verify} is pure.
 */
public final class ChainVerifier {
    private final Membership membership;
    private final ReplicaSignatures signatures;
    /** The membership file's replica set (epoch 0), for certificates judged without a roster. */
    private final ReplicaRoster genesisReplicas;
    /** The client membership after block {@link #trackedHeight}, for {@link #problem}. */
    private ClientMembership tracked;
    private long trackedHeight;

    /**
     * A verifier of a chain whose replica-set changes take effect at the membership's checkpoint
     * interval, or at the default one when the membership fixes none.
     */
    public ChainVerifier(Membership membership) {
        this(membership, membership.checkpointIntervalOr(ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL));
    }

    /** A verifier of a chain whose checkpoints, where replica-set changes take effect, are that far apart. */
    public ChainVerifier(Membership membership, long checkpointInterval) {
        this.membership = membership;
        this.signatures = new ReplicaSignatures(membership);
        this.tracked = ClientMembership.genesis(membership, checkpointInterval);
        this.genesisReplicas = tracked.replicas();
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
        Optional<String> certificate = certificateProblem(h, block.certificate(), clients.replicas());
        return certificate.isPresent() ? Verdict.bad(certificate.get()) : new Verdict(null, executed);
    }

    /**
     * The first problem with a commit certificate for {@code h} judged by the genesis replica set, or
     * empty when a quorum of it signed: for a block of a chain that changed no replica set before it.
     */
    public Optional<String> certificateProblem(BlockHeader h, List<Signed<Commit>> certificate) {
        return certificateProblem(h, certificate, genesisReplicas);
    }

    /**
     * The first problem with a commit certificate for {@code h}, or empty when a quorum of distinct
     * members of the set that ordered its sequence signed it, each with the key it held then.
     * {@code replicas} is the roster after the block before {@code h}: the certificate's view must be
     * of the epoch that orders h's sequence (a set that was replaced cannot certify blocks after its
     * boundary, whatever keys of it leak later).
     */
    public Optional<String> certificateProblem(BlockHeader h, List<Signed<Commit>> certificate, ReplicaRoster replicas) {
        Optional<ReplicaRoster.Epoch> byView = replicas.epochOfView(h.view());
        ReplicaRoster.Epoch ordering = replicas.ordering(h.sequence());
        if (byView.isEmpty() || byView.get().number() != ordering.number()) {
            return Optional.of("block at sequence " + h.sequence() + " was certified in view " + h.view() + " (epoch "
                    + h.view() / ReplicaRoster.VIEWS_PER_EPOCH + "), but epoch " + ordering.number() + " orders that sequence");
        }
        Set<Integer> signers = new HashSet<>();
        for (Signed<Commit> signed : certificate) {
            Commit c = signed.message();
            if (c.view() != h.view() || c.sequence() != h.sequence() || !c.batchDigest().equals(h.batchDigest())) {
                return Optional.of("certificate holds a COMMIT for another view, sequence or digest");
            }
            if (ordering.member(c.replica()).isEmpty()) {
                return Optional.of("certificate holds a COMMIT from replica " + c.replica() + ", not a member of epoch "
                        + ordering.number());
            }
            if (!signatures.verify(ordering, signed)) {
                return Optional.of("certificate signature of replica " + c.replica() + " does not verify");
            }
            signers.add(c.replica());
        }
        int quorum = ordering.quorums().quorum();
        if (signers.size() < quorum) {
            return Optional.of("certificate has " + signers.size() + " distinct signers; " + quorum + " are needed");
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
