package io.pbftledger.node;

import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Permissions;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.UnknownClientException;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Digest;
import java.util.List;

/**
 * The checks a replica applies to a client transaction before it is queued or prepared, against
 * the client membership in effect after its newest block. Safe to call from any thread.
 *
 * <p>Two strengths, because admission and validation ask different questions:
 * <ul>
 *   <li>{@link #check}, for a transaction submitted to this replica: everything execution will
 *       require (member, role, key, valid membership change), so a client learns of a refusal at once;</li>
 *   <li>{@link #checkOrdered}, for requests inside a PRE-PREPARE or FORWARD: right chain and signed by
 *       a key its client holds or held. Whether the client may still act depends on the blocks before
 *       the batch, which this replica may not all have executed yet; refusing the whole PRE-PREPARE on
 *       that basis would make honest replicas disagree about it and stall the view. Execution decides
 *       instead, identically everywhere (a revoked client's request becomes a recorded no-op).</li>
 * </ul>
 */
public final class TransactionChecks {
    private final ClientRegistry registry;

    public TransactionChecks(ClientRegistry registry) {
        this.registry = registry;
    }

    /** Checks against the membership file's clients, which never change (for tests of other concerns). */
    public TransactionChecks(Membership membership, VerifiedTransactions verified) {
        this(new ClientRegistry(ClientMembership.genesis(membership), verified));
    }

    /** Admission: throws a {@link LedgerException} naming the first failed check. */
    public void check(Transaction tx, Digest txId) {
        Permissions.checkAdmission(registry.current(), tx, txId, registry.signatures(), registry.executedSequence());
    }

    /** Validation of an ordered request: throws a {@link LedgerException} unless a known key of its client signed it. */
    public void checkOrdered(Transaction tx, Digest txId) {
        ClientMembership clients = registry.current();
        if (!tx.chainId().equals(clients.chainId())) {
            throw LedgerException.invalid("chainId '" + tx.chainId() + "' is not this ledger's ('" + clients.chainId() + "')");
        }
        List<Ed25519.PublicKey> keys = clients.knownKeys(tx.clientId());
        if (keys.isEmpty()) {
            throw UnknownClientException.notAMember(tx.clientId());
        }
        for (Ed25519.PublicKey key : keys) {
            if (registry.signatures().verifies(tx, txId, key)) {
                return;
            }
        }
        throw new LedgerException(ErrorKind.BAD_SIGNATURE,
                "signature does not verify with any key of client '" + tx.clientId() + "'");
    }
}
