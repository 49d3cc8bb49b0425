package io.pbftledger.client;

import io.pbftledger.chain.CheckpointDigest;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.chain.ReplicaSignatures;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The replica sets a client knows, each proven from the genesis membership alone: epoch 0 is the
 * membership file's; every later epoch was accepted only with the previous set's boundary checkpoint,
 * signed by a quorum of that set, whose state digest covers the new set's number, first sequence,
 * keys and URLs ({@link CheckpointDigest}). No replica's word is needed for any of it, so a faulty
 * replica cannot make a client accept a set that was never certified; it can only withhold the newest
 * epochs, which {@link ReplicaSetTracker} asks several replicas about. Immutable.
 */
public final class ReplicaSets {
    private final Membership genesis;
    private final ReplicaSignatures signatures;
    private final List<ReplicaRoster.Epoch> epochs;
    private final ReplicaRoster roster;

    private ReplicaSets(Membership genesis, ReplicaSignatures signatures, List<ReplicaRoster.Epoch> epochs) {
        this.genesis = genesis;
        this.signatures = signatures;
        this.epochs = List.copyOf(epochs);
        this.roster = ReplicaRoster.proven(ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL, this.epochs);
    }

    /** Only the membership file's set. */
    public static ReplicaSets genesis(Membership membership) {
        return new ReplicaSets(membership, new ReplicaSignatures(membership),
                ReplicaRoster.genesis(membership, ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL).epochs());
    }

    public Membership membership() {
        return genesis;
    }

    /** Every proven epoch, oldest first. */
    public List<ReplicaRoster.Epoch> epochs() {
        return epochs;
    }

    /** The proven epochs as a roster, to judge a certificate by the set that ordered its sequence. */
    public ReplicaRoster roster() {
        return roster;
    }

    /** The newest proven set: the one whose members' signed statements count now. */
    public ReplicaRoster.Epoch current() {
        return epochs.get(epochs.size() - 1);
    }

    /** f of the newest proven set. */
    public int f() {
        return current().quorums().f();
    }

    /** The key {@code replica} holds in the newest proven set, if it is a member. */
    public Optional<Ed25519.PublicKey> key(int replica) {
        return current().member(replica).map(ReplicaRoster.Member::publicKey);
    }

    /**
     * These sets extended by the epochs a {@code GET /api/v1/membership/history} answer proves beyond
     * them, in order, up to the first change it gives no proof for (a pending one, or one the answering
     * replica reached by state transfer). Epochs it repeats must be the ones known.
     *
     * @throws VerificationException when the answer is for another chain, contradicts a known epoch, or
     *                               a proof does not verify
     */
    public ReplicaSets extend(JsonNode history) {
        String chainId = JsonFields.text(history, "chainId");
        if (!chainId.equals(genesis.chainId())) {
            throw new VerificationException("the history is of chain " + chainId + ", not " + genesis.chainId());
        }
        List<ReplicaRoster.Epoch> proven = new ArrayList<>(epochs);
        for (JsonNode change : JsonFields.array(history, "changes")) {
            long epoch = JsonFields.number(change, "epoch");
            if (epoch < 1) {
                throw new VerificationException("the history lists a change of epoch " + epoch + "; changes start epochs 1, 2, ...");
            }
            JsonNode proof = change.get("proof");
            if (proof == null || proof.isNull()) {
                break;
            }
            ReplicaRoster.Epoch claimed = epochOf(proof, proven.get(proven.size() - 1));
            if (claimed.number() != epoch) {
                throw new VerificationException("change of epoch " + epoch + " carries the proof of epoch " + claimed.number());
            }
            if (epoch < proven.size()) {
                if (!sameSet(proven.get((int) epoch), claimed)) {
                    throw new VerificationException("the history's epoch " + epoch + " differs from the one proven before");
                }
                continue;
            }
            if (epoch != proven.size()) {
                throw new VerificationException("the history skips from epoch " + (proven.size() - 1) + " to " + epoch);
            }
            ReplicaRoster.Epoch previous = proven.get(proven.size() - 1);
            verify(proof, previous, claimed);
            proven.add(claimed);
        }
        return proven.size() == epochs.size() ? this : new ReplicaSets(genesis, signatures, proven);
    }

    /** The epoch a proof names, its members' since-fields carried from {@code previous} (they are not signed). */
    private static ReplicaRoster.Epoch epochOf(JsonNode proof, ReplicaRoster.Epoch previous) {
        long number = JsonFields.number(proof, "epoch");
        long firstSequence = JsonFields.number(proof, "firstSequence");
        TreeMap<Integer, ReplicaRoster.Member> members = new TreeMap<>();
        for (JsonNode r : JsonFields.array(proof, "replicas")) {
            long id = JsonFields.number(r, "id");
            if (id < 0 || id >= ReplicaRoster.REPLICAS_MAX) {
                throw new VerificationException("the proof names replica " + id);
            }
            Ed25519.PublicKey key;
            try {
                key = Ed25519.PublicKey.fromBase64(JsonFields.text(r, "publicKey"));
            } catch (IllegalArgumentException e) {
                throw new VerificationException("replica " + id + "'s publicKey in the proof is not an Ed25519 key");
            }
            String url = JsonFields.text(r, "url");
            Optional<ReplicaRoster.Member> before = previous.member((int) id);
            long sinceEpoch = before.map(ReplicaRoster.Member::sinceEpoch).orElse(number);
            long sinceHeight = before.map(ReplicaRoster.Member::sinceHeight).orElse(0L);
            if (members.put((int) id, new ReplicaRoster.Member((int) id, url, key, sinceEpoch, sinceHeight)) != null) {
                throw new VerificationException("the proof names replica " + id + " twice");
            }
        }
        if (members.size() < 4) {
            throw new VerificationException("the proof's set has " + members.size() + " replicas; a set has at least 4");
        }
        return new ReplicaRoster.Epoch(number, firstSequence, new ArrayList<>(members.values()));
    }

    /** That a quorum of {@code previous} signed the boundary checkpoint whose digest covers {@code next}. */
    private void verify(JsonNode proof, ReplicaRoster.Epoch previous, ReplicaRoster.Epoch next) {
        long checkpoint = JsonFields.number(proof, "checkpoint");
        if (next.firstSequence() != checkpoint + 1 || checkpoint < previous.firstSequence()) {
            throw new VerificationException("epoch " + next.number() + " starts at sequence " + next.firstSequence()
                    + ", which does not follow its checkpoint " + checkpoint + " inside epoch " + previous.number());
        }
        Digest digest = CheckpointDigest.of(checkpoint, JsonFields.digest(proof, "lastBlockHash"),
                CheckpointDigest.membership(JsonFields.digest(proof, "clientsDigest"), CheckpointDigest.replicas(next)));
        if (!digest.equals(JsonFields.digest(proof, "stateDigest"))) {
            throw new VerificationException("epoch " + next.number() + "'s set, block hash and clients digest do not "
                    + "give the checkpoint's stateDigest");
        }
        Set<Integer> signers = new HashSet<>();
        for (JsonNode s : JsonFields.array(proof, "signatures")) {
            long replica = JsonFields.number(s, "replica");
            if (replica < 0 || replica >= ReplicaRoster.REPLICAS_MAX) {
                throw new VerificationException("the checkpoint proof names replica " + replica);
            }
            byte[] signature = JsonFields.base64(s, "signature");
            if (signature.length != Signed.SIGNATURE_LENGTH) {
                throw new VerificationException("replica " + replica + "'s checkpoint signature is not 64 bytes");
            }
            Signed<Checkpoint> signed = new Signed<>(new Checkpoint((int) replica, checkpoint, digest), signature);
            if (!signatures.verify(previous, signed)) {
                throw new VerificationException("replica " + replica + "'s signature on checkpoint " + checkpoint
                        + " does not verify with a key of epoch " + previous.number());
            }
            signers.add((int) replica);
        }
        int quorum = previous.quorums().quorum();
        if (signers.size() < quorum) {
            throw new VerificationException("checkpoint " + checkpoint + " is signed by " + signers.size()
                    + " members of epoch " + previous.number() + "; " + quorum + " are needed");
        }
    }

    private static boolean sameSet(ReplicaRoster.Epoch a, ReplicaRoster.Epoch b) {
        if (a.firstSequence() != b.firstSequence() || a.n() != b.n()) {
            return false;
        }
        for (ReplicaRoster.Member m : a.members()) {
            Optional<ReplicaRoster.Member> other = b.member(m.id());
            if (other.isEmpty() || !other.get().publicKey().equals(m.publicKey()) || !other.get().url().equals(m.url())) {
                return false;
            }
        }
        return true;
    }
}
