package io.pbftledger.node;

import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Digest;

/**
 * The stateless checks every replica applies to a client transaction before it is queued or
 * prepared: right chain, permitted client, valid client signature. Safe to call from any thread.
 */
public final class TransactionChecks {
    private final Membership membership;
    private final VerifiedTransactions verified;

    public TransactionChecks(Membership membership, VerifiedTransactions verified) {
        this.membership = membership;
        this.verified = verified;
    }

    /** Throws a {@link LedgerException} naming the first failed check. */
    public void check(Transaction tx, Digest txId) {
        if (!tx.chainId().equals(membership.chainId())) {
            throw LedgerException.invalid("chainId '" + tx.chainId() + "' is not this ledger's ('" + membership.chainId() + "')");
        }
        Membership.Client client = membership.client(tx.clientId()).orElseThrow(() ->
                new LedgerException(ErrorKind.FORBIDDEN, "client '" + tx.clientId() + "' is not a member of this ledger"));
        if (!client.may(Role.SUBMIT)) {
            throw new LedgerException(ErrorKind.FORBIDDEN, "client '" + tx.clientId() + "' lacks the submit role");
        }
        // Keyed by id and signature: the id covers only the signed content, so a known transaction
        // carrying another (garbled or forged) signature must be verified again, never stored.
        Digest verifiedKey = Digest.sha256(txId.bytes(), tx.signature());
        if (verified.contains(verifiedKey)) {
            return;
        }
        if (!tx.verify(client.publicKey())) {
            throw new LedgerException(ErrorKind.BAD_SIGNATURE,
                    "signature does not verify with the public key of client '" + tx.clientId() + "'");
        }
        verified.add(verifiedKey);
    }
}
