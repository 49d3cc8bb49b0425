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
 *   SHA-256("PBFT-CHECKPOINT" || u8 1 || u64 sequence || hash of the last block at or below sequence
 *           || clients digest)
 *   clients digest = SHA-256("PBFT-CLIENTS" || u32 count || per client, by id: u16 len id,
 *                    32-byte key, u8 role count, u16 len each role label)
 * </pre>
 * The block hash chains every header, so it covers the world state (stateHash chains every write)
 * and every executed (clientId, nonce) pair (transactionsRoot of every block); the clients digest
 * covers the client membership in effect after that block (the file's clients changed by every
 * executed membership transaction), so replicas that disagree about who may submit cannot agree
 * on a checkpoint.
 */
public final class CheckpointDigest {
    private CheckpointDigest() {
    }

    public static Digest of(long sequence, Digest lastBlockHash, Digest clientsDigest) {
        byte[] bytes = new CanonicalWriter(96).ascii("PBFT-CHECKPOINT").u8(1).u64(sequence)
                .raw(lastBlockHash.bytes()).raw(clientsDigest.bytes()).toByteArray();
        return new Digest(Sha256.hash(bytes));
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
