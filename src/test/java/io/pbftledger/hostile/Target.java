package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the generators know of the replica under attack: its membership (chain and keys), the client
 * identities keygen made (client-0 is the admin), the key of a peer replica whose certificate the run
 * may present ({@code peer}, as a replica that turned hostile would), the transactions already
 * submitted before the run (to replay and contradict), and the clock signed reads use.
 */
public record Target(Membership membership, List<ClientIdentity> clients, int peer,
                     Ed25519.PrivateKey peerKey, List<Transaction> originals, LongSupplier clockMs) {
    public Target {
        clients = List.copyOf(clients);
        originals = List.copyOf(originals);
        if (clients.size() < 3) {
            throw new IllegalArgumentException("the generators need three clients: an admin and two others");
        }
        if (originals.isEmpty()) {
            throw new IllegalArgumentException("the generators need transactions to replay");
        }
    }

    public String chainId() {
        return membership.chainId();
    }

    /** client-0: the admin. */
    public ClientIdentity admin() {
        return client("client-0");
    }

    public ClientIdentity client(String id) {
        return clients.stream().filter(c -> c.clientId().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no client " + id));
    }

    /** The signed-read headers of {@code client} for {@code method} {@code target}, timestamped now. */
    public List<String> signedRead(ClientIdentity client, String method, String target) {
        return signedRead(client, method, target, clockMs.getAsLong());
    }

    /** The signed-read headers of {@code client} for {@code method} {@code target} at {@code timestampMs}. */
    public static List<String> signedRead(ClientIdentity client, String method, String target, long timestampMs) {
        return List.of(ReadRequestSignature.CLIENT_HEADER + ": " + client.clientId(),
                ReadRequestSignature.TIMESTAMP_HEADER + ": " + timestampMs,
                ReadRequestSignature.SIGNATURE_HEADER + ": " + ReadRequestSignature.sign(client, method, target, timestampMs));
    }

    /** {@code m} signed with {@code key} over this chain's replica-signing bytes. */
    public <T extends PbftMessage> Signed<T> sign(Ed25519.PrivateKey key, T m) {
        return new Signed<>(m, key.sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), m)));
    }
}
