package io.pbftledger.node;

import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.core.MessageSigner;
import io.pbftledger.pbft.message.PbftMessage;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This replica's private keys: the one it started with and any it rotated to since. Each message is
 * signed with the key this replica holds in the epoch that judges it ({@link ReplicaDirectory#keyOf}),
 * so the checkpoint that ends an epoch is still signed with the old key and everything of the next
 * epoch with the new one, whatever step the switch happens in. Peer requests' headers are signed with
 * the key of the epoch in force here, which every peer that reached it knows.
 *
 * <p>An operator rotates by writing the new key to the key file first, then submitting
 * {@code rotate-key}: when this replica executes the change for itself, it reads the key file again
 * ({@link #replicaSetChanged}) and keeps the new key beside the old one. Thread-safe: the consensus
 * thread signs, the execution thread adds keys, the peer senders sign headers.
 */
public final class ReplicaKeyRing implements MessageSigner {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaKeyRing.class);

    private final int self;
    private final ReplicaDirectory directory;
    private final Supplier<Ed25519.PrivateKey> keyFile;
    private final LongSupplier executedSequence;
    /** Oldest first; never empty. */
    private final List<Ed25519.PrivateKey> keys = new CopyOnWriteArrayList<>();

    /**
     * @param started          the key this replica started with
     * @param keyFile          reads the key file again (for a rotation of this replica's key)
     * @param executedSequence the sequence of the newest block this replica stored
     */
    public ReplicaKeyRing(int self, Ed25519.PrivateKey started, ReplicaDirectory directory,
                          Supplier<Ed25519.PrivateKey> keyFile, LongSupplier executedSequence) {
        this.self = self;
        this.directory = Objects.requireNonNull(directory, "directory");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.executedSequence = Objects.requireNonNull(executedSequence, "executedSequence");
        keys.add(Objects.requireNonNull(started, "started"));
    }

    /** Signs with the newest key (what has no epoch: nothing the core sends). */
    @Override
    public byte[] sign(byte[] signingBytes) {
        return keys.get(keys.size() - 1).sign(signingBytes);
    }

    /** Signs with the key this replica holds in the epoch of {@code message}, else the newest. */
    @Override
    public byte[] sign(PbftMessage message, byte[] signingBytes) {
        return directory.keyOf(message).flatMap(this::privateFor).orElse(keys.get(keys.size() - 1)).sign(signingBytes);
    }

    /** The key of the epoch in force after this replica's newest stored block: for peer requests' headers. */
    public Ed25519.PrivateKey headerKey() {
        ReplicaRoster roster = directory.roster();
        return roster.inForce(executedSequence.getAsLong()).member(self).map(ReplicaRoster.Member::publicKey)
                .flatMap(this::privateFor).orElse(keys.get(keys.size() - 1));
    }

    /** The public keys this replica can sign with, oldest first. */
    public List<Ed25519.PublicKey> publicKeys() {
        return keys.stream().map(Ed25519.PrivateKey::publicKey).toList();
    }

    private Optional<Ed25519.PrivateKey> privateFor(Ed25519.PublicKey publicKey) {
        for (int i = keys.size() - 1; i >= 0; i--) {
            if (keys.get(i).publicKey().equals(publicKey)) {
                return Optional.of(keys.get(i));
            }
        }
        return Optional.empty();
    }

    /**
     * A block executed a replica-set change: for a rotation of this replica's key, reads the key file
     * and keeps its key when it is the one the change names. Otherwise the replica cannot sign in the
     * next epoch; it says so once, loudly, and the operator writes the right key file and restarts.
     */
    public void replicaSetChanged(ReplicaRoster.Change change) {
        if (!(change.op() instanceof ReplicaOp.RotateKey rotate) || rotate.replicaId() != self) {
            return;
        }
        if (privateFor(rotate.publicKey()).isPresent()) {
            return;
        }
        Ed25519.PrivateKey read;
        try {
            read = keyFile.get();
        } catch (RuntimeException e) {
            LOG.error("replica {}'s key was rotated to {} in block {}, but its key file cannot be read ({}); from "
                    + "epoch {} on its messages will be refused: write the new key to the key file and restart it",
                    self, rotate.publicKey(), change.height(), e.getMessage(), change.epoch());
            return;
        }
        if (!read.publicKey().equals(rotate.publicKey())) {
            LOG.error("replica {}'s key was rotated to {} in block {}, but its key file holds {}; from epoch {} on "
                    + "its messages will be refused: write the new key to the key file and restart it",
                    self, rotate.publicKey(), change.height(), read.publicKey(), change.epoch());
            return;
        }
        keys.add(read);
        LOG.info("replica {} read its new key {} from its key file; it signs with it from epoch {} on",
                self, rotate.publicKey(), change.epoch());
    }
}
