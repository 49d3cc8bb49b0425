package io.pbftledger.chain;

import io.pbftledger.crypto.Sha256;
import io.pbftledger.pbft.message.Digest;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The state digest a replica signs in CHECKPOINT(sequence, digest): everything execution depends on,
 * computed in constant time.
 * <pre>
 *   SHA-256("PBFT-CHECKPOINT" || u8 2 || u64 sequence || hash of the last block at or below sequence
 *           || membership digest)
 *   membership digest = SHA-256("PBFT-MEMBERSHIP" || u8 1 || clients digest || replicas digest)
 *   clients digest  = SHA-256("PBFT-CLIENTS" || u32 count || per client, by id: u16 len id,
 *                     32-byte key, u8 role count, u16 len each role label)
 *   replicas digest = SHA-256("PBFT-REPLICAS" || u64 epoch || u64 first sequence || u32 count
 *                     || per member, by id: u16 id, 32-byte key, u16 len url)
 * </pre>
 * The block hash chains every header, so it covers the world state (stateHash chains every write)
 * and every executed (clientId, nonce) pair (transactionsRoot of every block); the clients digest
 * covers the client membership in effect after that block (the file's clients changed by every
 * executed membership transaction), so replicas that disagree about who may submit cannot agree
 * on a checkpoint. The replicas digest covers the newest epoch the executed blocks made
 * ({@link ReplicaRoster#latest()}). At a checkpoint that epoch always orders the next sequence: a
 * change executed at or below the checkpoint has its boundary at or below it. So the boundary
 * checkpoint of a change, signed by a quorum of the old set, names the new set, its keys and URLs
 * and its first sequence outright, and a client that trusts only the genesis membership can follow
 * the sets epoch by epoch from those proofs alone ({@code GET /api/v1/membership/history}),
 * without re-executing the chain.
 */
public final class CheckpointDigest {
    /** The version byte of the checkpoint digest (2: it covers the membership digest). */
    public static final int VERSION = 2;

    private CheckpointDigest() {
    }

    /** The digest signed at {@code sequence}; {@code membershipDigest} is {@link #membership}'s. */
    public static Digest of(long sequence, Digest lastBlockHash, Digest membershipDigest) {
        byte[] bytes = new CanonicalWriter(96).ascii("PBFT-CHECKPOINT").u8(VERSION).u64(sequence)
                .raw(lastBlockHash.bytes()).raw(membershipDigest.bytes()).toByteArray();
        return new Digest(Sha256.hash(bytes));
    }

    /** The digest of the whole membership after a block: its clients and its newest replica set. */
    public static Digest membership(Digest clientsDigest, Digest replicasDigest) {
        byte[] bytes = new CanonicalWriter(96).ascii("PBFT-MEMBERSHIP").u8(1)
                .raw(clientsDigest.bytes()).raw(replicasDigest.bytes()).toByteArray();
        return new Digest(Sha256.hash(bytes));
    }

    /** The digest of one epoch's replica set: its number, first sequence and members by id. */
    public static Digest replicas(ReplicaRoster.Epoch epoch) {
        List<ReplicaRoster.Member> members = epoch.members().stream()
                .sorted(Comparator.comparingInt(ReplicaRoster.Member::id)).toList();
        CanonicalWriter w = new CanonicalWriter(64 + 128 * members.size()).ascii("PBFT-REPLICAS")
                .u64(epoch.number()).u64(epoch.firstSequence()).u32(members.size());
        for (ReplicaRoster.Member m : members) {
            w.u16(m.id()).raw(m.publicKey().encoded()).shortString(m.url());
        }
        return new Digest(Sha256.hash(w.toByteArray()));
    }

    /** The digest of the membership file's clients (the client membership at height 0). */
    public static Digest clients(Membership membership) {
        return clients(membership.clients().stream().map(ClientEntry::of).toList());
    }

    /**
     * The digest of a client membership: ids, keys and roles (not {@code since}, which the block
     * hash covers through the executed membership transactions).
     */
    public static Digest clients(Collection<ClientEntry> members) {
        List<ClientEntry> clients = members.stream().sorted(Comparator.comparing(ClientEntry::id)).toList();
        CanonicalWriter w = new CanonicalWriter(64 + 64 * clients.size()).ascii("PBFT-CLIENTS").u32(clients.size());
        for (ClientEntry c : clients) {
            w.shortString(c.id()).raw(c.publicKey().encoded()).u8(c.roles().size());
            for (Role role : c.roles()) {
                w.shortString(role.label());
            }
        }
        return new Digest(Sha256.hash(w.toByteArray()));
    }
}
