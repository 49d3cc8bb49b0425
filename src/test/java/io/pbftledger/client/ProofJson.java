package io.pbftledger.client;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedRequests;
import io.pbftledger.chain.ReplyStatement;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.MerkleTree;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Replica answers in the REST API's JSON shapes (TransactionProof, StateProof, SubmitResponse), for
 * stand-in replicas; SignedRepliesApiTest checks the real API's answers with the same verifier.
 */
public final class ProofJson {
    static final JsonMapper JSON = JsonMapper.builder().build();

    private ProofJson() {
    }

    public static ObjectNode transaction(Block block, int index) {
        Transaction tx = block.transactions().get(index);
        ObjectNode t = JSON.createObjectNode();
        t.put("txId", tx.txId().hex());
        t.put("status", "COMMITTED");
        t.put("chainId", tx.chainId());
        t.put("clientId", tx.clientId());
        t.put("nonce", tx.nonce());
        t.put("key", tx.key());
        t.putRawValue("payload", new RawValue(tx.payload()));
        t.put("signature", tx.signatureBase64());
        t.put("blockHeight", block.height());
        t.put("blockHash", block.hash().hex());
        t.put("index", index);
        return t;
    }

    public static ObjectNode transactionProof(Block block, int index) {
        ObjectNode proof = JSON.createObjectNode();
        proof.set("transaction", transaction(block, index));
        proof.put("index", index);
        proof.put("transactionCount", block.transactions().size());
        List<byte[]> leaves = new ArrayList<>();
        ArrayNode ids = proof.putArray("transactionIds");
        for (Transaction tx : block.transactions()) {
            leaves.add(tx.txId().bytes());
            ids.add(tx.txId().hex());
        }
        ArrayNode requestIds = proof.putArray("requestIds");
        OrderedRequests.of(block.header(), block.transactions()).forEach(r -> requestIds.add(r.id().hex()));
        ArrayNode path = proof.putArray("merklePath");
        MerkleTree.path(leaves, index).forEach(sibling -> path.add(HexFormat.of().formatHex(sibling)));
        proof.set("block", block(block));
        return proof;
    }

    public static ObjectNode block(Block block) {
        BlockHeader h = block.header();
        ObjectNode b = JSON.createObjectNode();
        b.put("height", h.height());
        b.put("hash", block.hash().hex());
        b.put("previousHash", h.previousHash().hex());
        b.put("timestamp", h.timestamp());
        b.put("view", h.view());
        b.put("sequence", h.sequence());
        b.put("primary", h.primary());
        b.put("batchDigest", h.batchDigest().hex());
        b.put("transactionsRoot", h.transactionsRoot().hex());
        b.put("stateHash", h.stateHash().hex());
        b.put("transactionCount", h.transactionCount());
        ArrayNode certificate = b.putArray("certificate");
        for (Signed<Commit> commit : block.certificate()) {
            certificate.addObject().put("replica", commit.message().replica())
                    .put("signature", Base64.getEncoder().encodeToString(commit.signature()));
        }
        return b;
    }

    /** A state proof for the key the transaction at {@code index} writes, signed by {@code replica} at {@code block}. */
    public static ObjectNode stateProof(Membership membership, Block block, int index, int replica, Ed25519.PrivateKey key) {
        Transaction tx = block.transactions().get(index);
        ObjectNode proof = JSON.createObjectNode();
        proof.put("key", tx.key());
        proof.putRawValue("value", new RawValue(tx.payload()));
        transactionProof(block, index).properties().forEach(e -> proof.set(e.getKey(), e.getValue()));
        ReplyStatement statement = ReplyStatement.state(membership.chainId(), tx.key(), block.height(), block.hash(),
                tx.payload(), tx.txId());
        proof.set("attestation", attestation(replica, statement, key));
        return proof;
    }

    /** {@code POST ?wait=true} / {@code GET /transactions/{id}} answer of a replica that signs (height, hash). */
    public static ObjectNode committed(Membership membership, Transaction tx, long height, io.pbftledger.pbft.message.Digest hash,
                                int index, int replica, Ed25519.PrivateKey signingKey) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("txId", tx.txId().hex());
        answer.put("status", "COMMITTED");
        answer.put("blockHeight", height);
        answer.put("blockHash", hash.hex());
        answer.put("index", index);
        answer.set("attestation", attestation(replica,
                ReplyStatement.transaction(membership.chainId(), tx.txId(), height, hash), signingKey));
        return answer;
    }

    /** The answer of a replica reporting the transaction ordered at (height, hash) but refused at execution. */
    public static ObjectNode committedRefused(Membership membership, Transaction tx, long height,
                                              io.pbftledger.pbft.message.Digest hash, int index, int replica,
                                              Ed25519.PrivateKey signingKey, String kind, String reason) {
        ObjectNode answer = committed(membership, tx, height, hash, index, replica, signingKey);
        answer.put("outcome", "REFUSED");
        answer.putObject("refusal").put("kind", kind).put("reason", reason);
        answer.set("attestation", attestation(replica, ReplyStatement.refusedTransaction(membership.chainId(),
                tx.txId(), height, hash, kind, reason), signingKey));
        return answer;
    }

    /** A transaction proof whose transaction is reported refused at execution, signed by {@code replica}. */
    public static ObjectNode refusedTransactionProof(Membership membership, Block block, int index, int replica,
                                                     Ed25519.PrivateKey signingKey, String kind, String reason) {
        ObjectNode proof = transactionProof(block, index);
        ObjectNode tx = (ObjectNode) proof.get("transaction");
        tx.put("outcome", "REFUSED");
        tx.putObject("refusal").put("kind", kind).put("reason", reason);
        proof.set("attestation", attestation(replica, ReplyStatement.refusedTransaction(membership.chainId(),
                block.transactions().get(index).txId(), block.height(), block.hash(), kind, reason), signingKey));
        return proof;
    }

    /** A transaction proof reported EXECUTED, with {@code replica}'s signed statement of it. */
    public static ObjectNode executedTransactionProof(Membership membership, Block block, int index, int replica,
                                                      Ed25519.PrivateKey signingKey) {
        ObjectNode proof = transactionProof(block, index);
        ((ObjectNode) proof.get("transaction")).put("outcome", "EXECUTED");
        proof.set("attestation", attestation(replica, ReplyStatement.transaction(membership.chainId(),
                block.transactions().get(index).txId(), block.height(), block.hash()), signingKey));
        return proof;
    }

    public static ObjectNode attestation(int replica, ReplyStatement statement, Ed25519.PrivateKey key) {
        ObjectNode a = JSON.createObjectNode();
        a.put("replica", replica);
        a.put("height", statement.height());
        a.put("blockHash", statement.blockHash().hex());
        a.put("subject", statement.subject());
        a.put("signature", Base64.getEncoder().encodeToString(statement.sign(key)));
        return a;
    }

    /**
     * A replica's {@code GET /api/v1/membership} answer: the membership's replicas and {@code clients}
     * (id to key, in the map's order, each with roles submit and read) as of {@code height}.
     */
    public static ObjectNode membershipAnswer(Membership membership, long height,
                                              java.util.Map<String, Ed25519.PublicKey> clients) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("chainId", membership.chainId());
        answer.put("height", height);
        var replicas = answer.putArray("replicas");
        membership.replicas().forEach(r -> replicas.addObject().put("id", r.id()).put("url", r.url())
                .put("publicKey", r.publicKey().toBase64()));
        var list = answer.putArray("clients");
        clients.forEach((id, key) -> {
            ObjectNode c = list.addObject().put("id", id).put("publicKey", key.toBase64());
            c.putArray("roles").add("submit").add("read");
            c.put("since", height);
        });
        return answer;
    }
}
