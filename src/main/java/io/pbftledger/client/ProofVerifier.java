package io.pbftledger.client;

import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.CanonicalJson;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Checks the proofs of {@code GET /api/v1/transactions/{txId}/proof} and {@code GET /api/v1/state/{key}/proof}
 * against the membership alone and the replica sets proven from it ({@link ReplicaSets}): each certificate
 * by the set that ordered its sequence, each signed statement by the newest proven set. The chain of
 * evidence: 2f+1 valid COMMIT signatures of distinct members
 * over (view, sequence, batchDigest); batchDigest recomputed from the header's timestamp and the block's
 * request ids in order; the request id recomputed from the transaction's exact bytes (signature
 * included), found at {@code index} among those ids (the txId, in a block ordered by txId); the txId at
 * {@code index} among the block's txIds and its Merkle path leading to the header's transactionsRoot;
 * the block hash recomputed from the header.
 */
public final class ProofVerifier {
    private final Membership membership;
    private final ChainVerifier chain;
    private final Supplier<ReplicaSets> sets;

    /** A verifier that knows only the membership file's replica set. */
    public ProofVerifier(Membership membership) {
        this(ReplicaSets.genesis(membership));
    }

    /**
     * A verifier that judges each certificate by the proven set that ordered its sequence, and signed
     * statements by the newest proven set.
     */
    public ProofVerifier(ReplicaSets sets) {
        this(() -> sets);
    }

    /** A verifier that reads the sets it judges by at each check (a client's {@link ReplicaSetTracker}). */
    ProofVerifier(Supplier<ReplicaSets> sets) {
        this.membership = sets.get().membership();
        this.chain = new ChainVerifier(membership);
        this.sets = sets;
    }

    /**
     * The verified transaction of a transaction proof, which must be the proof of {@code expectedTxId},
     * with the outcome the replica reports ({@code transaction.outcome}). The certificate proves the
     * ordering only; the outcome is the replica's word, checked against its signed {@code attestation}
     * when the proof carries one (a proof that carries one whose signature does not verify is refused).
     */
    public VerifiedTransaction transaction(JsonNode proof, Digest expectedTxId, String source) {
        VerifiedTransaction proven = proven(proof, expectedTxId, source);
        ExecutionRefusal refusal = OutcomeJson.refusal(JsonFields.object(proof, "transaction"));
        Integer signedBy = outcomeSigner(proof, proven, refusal);
        return new VerifiedTransaction(proven.transaction(), proven.txId(), proven.blockHeight(), proven.blockHash(),
                proven.index(), proven.view(), proven.sequence(), proven.certifiedBy(), source,
                OutcomeJson.outcome(refusal), refusal, signedBy);
    }

    /** The replica whose attestation of the proven location and this outcome verifies; null without one. */
    private Integer outcomeSigner(JsonNode proof, VerifiedTransaction proven, ExecutionRefusal refusal) {
        JsonNode attestation = proof.get("attestation");
        if (attestation == null || attestation.isNull()) {
            return null;
        }
        JsonNode checked = JsonFields.object(proof, "attestation");
        int replica = replicaOf(checked);
        if (!proven.txId().hex().equals(JsonFields.text(checked, "subject"))
                || JsonFields.number(checked, "height") != proven.blockHeight()
                || !proven.blockHash().equals(JsonFields.digest(checked, "blockHash"))) {
            throw new VerificationException("the attestation does not state the proven txId, height and block hash");
        }
        if (!OutcomeJson.statement(membership.chainId(), proven.txId(), proven.blockHeight(), proven.blockHash(),
                refusal).verify(keyOf(replica), JsonFields.base64(checked, "signature"))) {
            throw new VerificationException("the attestation's signature does not verify with replica " + replica
                    + "'s key for the outcome " + OutcomeJson.describe(refusal));
        }
        return replica;
    }

    /** Everything a transaction proof proves: the transaction was ordered where it says. */
    private VerifiedTransaction proven(JsonNode proof, Digest expectedTxId, String source) {
        JsonNode view = JsonFields.object(proof, "transaction");
        Transaction tx = transactionOf(view);
        Digest txId = tx.txId();
        if (!txId.equals(expectedTxId)) {
            throw new VerificationException("the proven transaction has txId " + txId.hex() + ", not the requested "
                    + expectedTxId.hex() + " (its content was altered or it is another transaction)");
        }
        if (!JsonFields.text(view, "txId").equals(txId.hex())) {
            throw new VerificationException("the transaction's txId field does not match its content");
        }
        Optional<Membership.Client> client = membership.client(tx.clientId());
        // A client added after this membership file was written is not listed; the certificate still binds it.
        if (client.isPresent() && !tx.verify(client.get().publicKey())) {
            throw new VerificationException("the transaction's signature does not verify with the key of client '"
                    + tx.clientId() + "'");
        }
        JsonNode block = JsonFields.object(proof, "block");
        BlockHeader header = headerOf(block);
        int index = JsonFields.smallNumber(proof, "index");
        int count = JsonFields.smallNumber(proof, "transactionCount");
        if (count != header.transactionCount() || index >= count) {
            throw new VerificationException("index " + index + " and transactionCount " + count
                    + " do not fit the header's transactionCount " + header.transactionCount());
        }
        List<Digest> ids = digests(JsonFields.array(proof, "transactionIds"), "transactionIds");
        if (ids.size() != count || !ids.get(index).equals(txId)) {
            throw new VerificationException("the block's txIds do not hold this transaction at index " + index);
        }
        // The certificate binds the request ids (each the hash of a transaction's exact bytes, signature
        // included); a proof without them comes from a version that ordered by txId.
        JsonNode requestIdsNode = proof.get("requestIds");
        List<Digest> ordered = requestIdsNode == null || requestIdsNode.isNull() ? ids
                : digests(JsonFields.array(proof, "requestIds"), "requestIds");
        if (ordered.size() != count
                || !(ordered.get(index).equals(tx.requestId()) || ordered.get(index).equals(txId))) {
            throw new VerificationException("the block's request ids do not hold this exact transaction at index " + index);
        }
        if (!BatchDigest.of(header.timestamp(), ordered).equals(header.batchDigest())) {
            throw new VerificationException("the block's request ids and timestamp do not give the certified batchDigest");
        }
        checkMerklePath(proof, txId, index, count, header);
        List<Integer> signers = checkCertificate(block, header);
        checkLocation(view, header, index);
        return new VerifiedTransaction(tx, txId, header.height(), header.hash(), index, header.view(),
                header.sequence(), signers, source);
    }

    /** The verified value of a state proof, which must be the proof of {@code expectedKey}. */
    public VerifiedState state(JsonNode proof, String expectedKey, String source) {
        String key = JsonFields.text(proof, "key");
        if (!key.equals(expectedKey)) {
            throw new VerificationException("the proof is for key '" + key + "', not '" + expectedKey + "'");
        }
        JsonNode txView = JsonFields.object(proof, "transaction");
        VerifiedTransaction writer = proven(proof, JsonFields.digest(txView, "txId"), source);
        if (OutcomeJson.refusal(txView) != null) {
            throw new VerificationException("the value's writer is reported refused at execution, so it wrote nothing");
        }
        if (!key.equals(writer.transaction().key())) {
            throw new VerificationException("the proven transaction writes key '" + writer.transaction().key()
                    + "', not '" + key + "'");
        }
        String value = canonical(JsonFields.value(proof, "value"), "value");
        if (!value.equals(writer.transaction().payload())) {
            throw new VerificationException("the value is not the payload of the proven transaction that wrote it");
        }
        JsonNode attestation = JsonFields.object(proof, "attestation");
        int replica = replicaOf(attestation);
        long height = JsonFields.number(attestation, "height");
        Digest blockHash = JsonFields.digest(attestation, "blockHash");
        if (!key.equals(JsonFields.text(attestation, "subject"))) {
            throw new VerificationException("the attestation is about '" + JsonFields.text(attestation, "subject")
                    + "', not key '" + key + "'");
        }
        if (height < writer.blockHeight()) {
            throw new VerificationException("the attestation's height " + height
                    + " is below the height the value was written at, " + writer.blockHeight());
        }
        ReplyStatement statement = ReplyStatement.state(membership.chainId(), key, height, blockHash, value,
                writer.txId());
        if (!statement.verify(keyOf(replica), JsonFields.base64(attestation, "signature"))) {
            throw new VerificationException("the attestation's signature does not verify with replica " + replica
                    + "'s key");
        }
        return new VerifiedState(key, value, writer, height, blockHash, replica);
    }

    /**
     * A replica id of the newest proven set, from an attestation: a replica that a change removed, or
     * that was never added, signs nothing that counts.
     */
    int replicaOf(JsonNode attestation) {
        long replica = JsonFields.number(attestation, "replica");
        ReplicaSets known = sets.get();
        if (replica < 0 || replica >= ReplicaRoster.REPLICAS_MAX || known.key((int) replica).isEmpty()) {
            throw new VerificationException("the attestation names replica " + replica + ", which is not a member of "
                    + "epoch " + known.current().number() + " (the newest replica set this client has proven)");
        }
        return (int) replica;
    }

    /**
     * The key {@code replica} holds in the newest proven set: a key a rotation replaced signs nothing
     * that counts.
     */
    Ed25519.PublicKey keyOf(int replica) {
        return sets.get().key(replica).orElseThrow(() -> new VerificationException("replica " + replica
                + " is not a member of the newest replica set this client has proven"));
    }

    private Transaction transactionOf(JsonNode view) {
        String chainId = JsonFields.text(view, "chainId");
        if (!chainId.equals(membership.chainId())) {
            throw new VerificationException("the transaction belongs to chain " + chainId + ", not "
                    + membership.chainId());
        }
        if (!"COMMITTED".equals(JsonFields.text(view, "status"))) {
            throw new VerificationException("the proven transaction is not COMMITTED");
        }
        Transaction tx;
        try {
            tx = new Transaction(chainId, JsonFields.text(view, "clientId"), JsonFields.number(view, "nonce"),
                    JsonFields.optionalText(view, "key"), canonical(JsonFields.value(view, "payload"), "payload"),
                    JsonFields.base64(view, "signature"));
        } catch (LedgerException e) {
            throw new VerificationException("the proven transaction is malformed: " + e.getMessage());
        }
        return tx;
    }

    private static String canonical(JsonNode value, String what) {
        try {
            return CanonicalJson.canonicalize(ReplicaHttp.JSON.writeValueAsString(value));
        } catch (LedgerException e) {
            throw new VerificationException(what + " is not JSON: " + e.getMessage());
        }
    }

    private static BlockHeader headerOf(JsonNode block) {
        BlockHeader header;
        try {
            header = new BlockHeader(JsonFields.number(block, "height"), JsonFields.digest(block, "previousHash"),
                    JsonFields.number(block, "timestamp"), JsonFields.number(block, "view"),
                    JsonFields.number(block, "sequence"), JsonFields.smallNumber(block, "primary"),
                    JsonFields.digest(block, "batchDigest"), JsonFields.digest(block, "transactionsRoot"),
                    JsonFields.digest(block, "stateHash"), JsonFields.smallNumber(block, "transactionCount"));
        } catch (IllegalArgumentException e) {
            throw new VerificationException("the block header is malformed: " + e.getMessage());
        }
        if (!header.hash().equals(JsonFields.digest(block, "hash"))) {
            throw new VerificationException("the block hash does not match the block header");
        }
        return header;
    }

    private static void checkMerklePath(JsonNode proof, Digest txId, int index, int count, BlockHeader header) {
        List<byte[]> path = new ArrayList<>();
        for (Digest sibling : digests(JsonFields.array(proof, "merklePath"), "merklePath")) {
            path.add(sibling.bytes());
        }
        byte[] root;
        try {
            root = MerkleTree.rootFromPath(txId.bytes(), index, count, path);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("the Merkle path does not fit the tree: " + e.getMessage());
        }
        if (!new Digest(root).equals(header.transactionsRoot())) {
            throw new VerificationException("the Merkle path does not lead to the block's transactionsRoot");
        }
    }

    private List<Integer> checkCertificate(JsonNode block, BlockHeader header) {
        List<Signed<Commit>> certificate = new ArrayList<>();
        TreeSet<Integer> signers = new TreeSet<>();
        for (JsonNode entry : JsonFields.array(block, "certificate")) {
            long replica = JsonFields.number(entry, "replica");
            if (replica < 0 || replica > Integer.MAX_VALUE) {
                throw new VerificationException("the certificate names replica " + replica);
            }
            Commit commit = new Commit((int) replica, header.view(), header.sequence(), header.batchDigest());
            byte[] signature = JsonFields.base64(entry, "signature");
            if (signature.length != Signed.SIGNATURE_LENGTH) {
                throw new VerificationException("the certificate signature of replica " + replica + " is not 64 bytes");
            }
            certificate.add(new Signed<>(commit, signature));
            signers.add((int) replica);
        }
        Optional<String> problem = chain.certificateProblem(header, certificate, sets.get().roster());
        if (problem.isPresent()) {
            throw new VerificationException("the commit certificate does not verify: " + problem.get());
        }
        return List.copyOf(signers);
    }

    private static void checkLocation(JsonNode view, BlockHeader header, int index) {
        if (JsonFields.number(view, "blockHeight") != header.height()
                || !JsonFields.digest(view, "blockHash").equals(header.hash())
                || JsonFields.number(view, "index") != index) {
            throw new VerificationException("the transaction's location does not match the proven block");
        }
    }

    private static List<Digest> digests(JsonNode array, String what) {
        List<Digest> out = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            if (!node.isString()) {
                throw new VerificationException(what + " holds a non-string");
            }
            out.add(JsonFields.digestOf(node.asString(), what));
        }
        return out;
    }
}
