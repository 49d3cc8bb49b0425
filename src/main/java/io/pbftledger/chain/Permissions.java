package io.pbftledger.chain;

import io.pbftledger.pbft.message.Digest;

/**
 * Who may do what, decided from the client membership in effect only, so admission and execution
 * apply the same rule. Ordinary transactions need the {@code submit} role, membership and replica-set
 * transactions ({@link MembershipOp#KEY}, {@link ReplicaOp#KEY}) the {@code admin} role; admin implies
 * submit; other keys starting with {@link MembershipOp#RESERVED_PREFIX} are refused.
 */
public final class Permissions {
    private Permissions() {
    }

    /** Throws a {@link LedgerException} naming the first rule {@code tx} breaks under {@code clients}. */
    public static void checkSigner(ClientMembership clients, Transaction tx, Digest txId, SignatureCheck signatures) {
        if (!tx.chainId().equals(clients.chainId())) {
            throw LedgerException.invalid("chainId '" + tx.chainId() + "' is not this ledger's ('" + clients.chainId() + "')");
        }
        ClientEntry client = clients.client(tx.clientId())
                .orElseThrow(() -> UnknownClientException.notAMember(tx.clientId()));
        if (MembershipOp.KEY.equals(tx.key()) || ReplicaOp.KEY.equals(tx.key())) {
            if (!client.may(Role.ADMIN)) {
                throw new LedgerException(ErrorKind.FORBIDDEN, "client '" + tx.clientId() + "' lacks the admin role that "
                        + (ReplicaOp.KEY.equals(tx.key()) ? "replica-set" : "membership") + " changes (key " + tx.key()
                        + ") need");
            }
        } else if (MembershipOp.isReserved(tx.key())) {
            throw LedgerException.invalid("keys starting with '" + MembershipOp.RESERVED_PREFIX
                    + "' are reserved; only " + MembershipOp.KEY + " and " + ReplicaOp.KEY + " may be written, by an admin");
        } else if (!client.mayAct(Role.SUBMIT)) {
            throw new LedgerException(ErrorKind.FORBIDDEN, "client '" + tx.clientId() + "' lacks the submit role");
        }
        if (!signatures.verifies(tx, txId, client.publicKey())) {
            throw new LedgerException(ErrorKind.BAD_SIGNATURE,
                    "signature does not verify with the public key of client '" + tx.clientId() + "'");
        }
    }

    /**
     * Everything {@link #checkSigner} checks and, for a membership transaction, that its change
     * applies to {@code clients}: the full admission check.
     */
    public static void checkAdmission(ClientMembership clients, Transaction tx, Digest txId, SignatureCheck signatures) {
        checkAdmission(clients, tx, txId, signatures, 0);
    }

    /**
     * As {@link #checkAdmission(ClientMembership, Transaction, Digest, SignatureCheck)} at a replica
     * that executed every sequence up to {@code executedSequence}: a replica-set change must apply to
     * the newest replica set, and none may be pending (it would be ordered above that sequence).
     */
    public static void checkAdmission(ClientMembership clients, Transaction tx, Digest txId, SignatureCheck signatures,
                                      long executedSequence) {
        checkSigner(clients, tx, txId, signatures);
        if (MembershipOp.KEY.equals(tx.key())) {
            clients.apply(MembershipOp.parse(tx.payload()), clients.height());
        } else if (ReplicaOp.KEY.equals(tx.key())) {
            ReplicaRoster replicas = clients.replicas();
            long next = Math.max(executedSequence, replicas.changes().isEmpty() ? 0
                    : replicas.changes().get(replicas.changes().size() - 1).sequence()) + 1;
            replicas.apply(ReplicaOp.parse(tx.payload()), clients.height(), next, 0, txId);
        }
    }
}
