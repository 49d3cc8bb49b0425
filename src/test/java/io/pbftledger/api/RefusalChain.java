package io.pbftledger.api;

import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.SignatureCheck;
import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A chain in which execution refuses transactions that PBFT ordered, built as replicas build it
 * (BlockExecutor under the client membership, COMMITs of replicas 0, 1 and 3): block 1 revokes bob
 * and executes a write of alice; block 2 orders a write of the revoked bob (refused: FORBIDDEN), a
 * membership change that does not apply (refused: INVALID) and another write of alice (executed);
 * block 3, as after a view change, orders alice's first write again (skipped: it ran in block 1), a
 * second write of bob (refused), a third write of alice (executed) and bob's refused write again
 * (skipped: its (clientId, nonce) was refused at its first position, in block 2).
 */
final class RefusalChain {
    static final String CHAIN_ID = "refusal-test-chain";
    static final ClientIdentity ADMIN = new ClientIdentity("admin", CHAIN_ID, ApiFixtures.key(110));
    static final ClientIdentity ALICE = new ClientIdentity("alice", CHAIN_ID, ApiFixtures.key(111));
    static final ClientIdentity BOB = new ClientIdentity("bob", CHAIN_ID, ApiFixtures.key(112));

    final Membership membership = membership();
    final Transaction revokeBob = ADMIN.sign(1, MembershipOp.KEY, "{\"op\":\"revoke\",\"clientId\":\"bob\"}");
    final Transaction aliceFirst = ALICE.sign(1, "greeting", "{\"text\":\"hello\"}");
    final Transaction bobAfterRevocation = BOB.sign(1, "greeting", "{\"text\":\"bob was here\"}");
    final Transaction revokeNobody = ADMIN.sign(2, MembershipOp.KEY, "{\"op\":\"revoke\",\"clientId\":\"nobody\"}");
    final Transaction aliceSecond = ALICE.sign(2, "greeting", "{\"text\":\"again\"}");
    final Transaction bobAgain = BOB.sign(2, "greeting", "{\"text\":\"<b>bob</b> again\"}");
    final Transaction aliceThird = ALICE.sign(3, "greeting", "{\"text\":\"third\"}");
    final ExecutedBlock first;
    final ExecutedBlock second;
    final ExecutedBlock third;

    RefusalChain() {
        BlockHeader genesis = Genesis.of(membership).header();
        first = execute(genesis, ClientMembership.genesis(membership), List.of(revokeBob, aliceFirst),
                PriorExecution.NONE);
        second = execute(first.block().header(), first.clientsAfter(),
                List.of(bobAfterRevocation, revokeNobody, aliceSecond), PriorExecution.NONE);
        if (second.refusals().size() != 2) {
            throw new IllegalStateException("the fixture expects two refusals in block 2, got " + second.refusals());
        }
        Set<String> ran = new HashSet<>();
        for (ExecutedBlock block : List.of(first, second)) {
            block.block().transactions().forEach(tx -> ran.add(tx.clientId() + "#" + tx.nonce()));
        }
        third = execute(second.block().header(), second.clientsAfter(),
                List.of(aliceFirst, bobAgain, aliceThird, bobAfterRevocation),
                (clientId, nonce) -> ran.contains(clientId + "#" + nonce));
        if (!third.skipped().equals(List.of(0, 3)) || third.refusals().size() != 1) {
            throw new IllegalStateException("the fixture expects block 3 to skip 0 and 3 and refuse 1, got skipped "
                    + third.skipped() + ", refusals " + third.refusals());
        }
    }

    static Membership membership() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (8080 + i),
                    ApiFixtures.REPLICA_KEYS.get(i).publicKey()));
        }
        return new Membership(CHAIN_ID, replicas, List.of(
                new Membership.Client("admin", ADMIN.privateKey().publicKey(), Set.of(Role.ADMIN)),
                new Membership.Client("alice", ALICE.privateKey().publicKey(), Set.of(Role.SUBMIT, Role.READ)),
                new Membership.Client("bob", BOB.privateKey().publicKey(), Set.of(Role.SUBMIT, Role.READ))));
    }

    private static ExecutedBlock execute(BlockHeader previous, ClientMembership clients, List<Transaction> txs,
                                         PriorExecution prior) {
        long sequence = previous.sequence() + 1;
        long timestamp = 1_767_225_600_000L + 1000 * sequence;
        List<ClientRequest> requests = txs.stream().map(Transaction::toRequest).toList();
        Digest digest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica : new int[] {0, 1, 3}) {
            Commit commit = new Commit(replica, 0, sequence, digest);
            certificate.add(new Signed<>(commit,
                    ApiFixtures.REPLICA_KEYS.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership()), commit))));
        }
        OrderedBatch batch = new OrderedBatch(0, sequence, timestamp, 0, digest, requests, certificate);
        return BlockExecutor.execute(previous, clients, batch, SignatureCheck.DIRECT, prior);
    }
}
