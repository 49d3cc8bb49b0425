package io.pbftledger.chain;

import static io.pbftledger.chain.PermissionedChain.add;
import static io.pbftledger.chain.PermissionedChain.identity;
import static io.pbftledger.chain.PermissionedChain.revoke;
import static io.pbftledger.chain.PermissionedChain.roles;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.Digest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Execution under the client membership: membership transactions change it from the next block on,
 * refused transactions stay in their block and change nothing, and a verifier that replays the chain
 * reaches the same membership and state.
 */
class PermissionedExecutionTest {
    private final PermissionedChain chain = new PermissionedChain();
    private final ClientIdentity carol = identity("carol", 60);

    @Test
    void anAdminAddsAClientWhoMaySubmitFromTheNextBlockOn() {
        Transaction addCarol = chain.membershipOp(chain.admin, add(carol, "submit", "read"));
        Transaction tooEarly = chain.write(carol, "k", "1");
        ExecutedBlock first = chain.append(addCarol, tooEarly);

        assertThat(first.changes()).extracting(MembershipChange::txId).containsExactly(addCarol.txId());
        assertThat(first.clientsAfter().client("carol")).hasValueSatisfying(c -> assertThat(c.since()).isEqualTo(1));
        assertThat(first.clientsAfter().height()).isEqualTo(1);
        assertThat(first.refusals()).singleElement().satisfies(r -> {
            assertThat(r.txId()).isEqualTo(tooEarly.txId());
            assertThat(r.index()).isEqualTo(1);
            assertThat(r.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(r.reason()).isEqualTo("client 'carol' is not a member of this ledger");
        });
        assertThat(first.writes()).as("the op is recorded in the world state under its key; the refused write is not")
                .extracting(StateWrite::key).containsExactly(MembershipOp.KEY);
        assertThat(first.block().transactions()).as("both stay in the block PBFT agreed on").hasSize(2);

        Transaction onTime = chain.write(carol, "k", "2");
        ExecutedBlock second = chain.append(onTime);
        assertThat(second.refusals()).isEmpty();
        assertThat(second.writes()).extracting(StateWrite::value).containsExactly("2");
    }

    @Test
    void aRevokedClientIsRefusedFromTheNextBlockOnButNotInTheBlockOfItsRevocation() {
        Transaction revokeAlice = chain.membershipOp(chain.admin, revoke("alice"));
        Transaction sameBlock = chain.write(chain.alice, "a", "1");
        ExecutedBlock first = chain.append(revokeAlice, sameBlock);
        assertThat(first.refusals()).isEmpty();
        assertThat(first.writes()).extracting(StateWrite::key).containsExactly(MembershipOp.KEY, "a");

        Transaction nextBlock = chain.write(chain.alice, "a", "2");
        ExecutedBlock second = chain.append(nextBlock);
        assertThat(second.writes()).isEmpty();
        assertThat(second.refusals()).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(r.reason()).isEqualTo("client 'alice' is not a member of this ledger");
        });
        assertThat(second.block().header().stateHash()).as("a refused write leaves the state hash as it was")
                .isEqualTo(StateHash.next(first.block().header().stateHash(), List.of()));
    }

    @Test
    void invalidAdminTransactionsInABlockAreRecordedNoOps() {
        Transaction byNonAdmin = chain.membershipOp(chain.alice, add(carol, "submit"));
        Transaction lastAdmin = chain.membershipOp(chain.admin, revoke("admin"));
        Transaction unknown = chain.membershipOp(chain.admin, revoke("nobody"));
        Transaction malformed = chain.membershipOp(chain.admin, "{\"op\":\"add\"}");
        Transaction reserved = chain.write(chain.admin, "ledger:other", "1");
        Transaction readerWrites = chain.write(chain.reader, "r", "1");
        ExecutedBlock block = chain.append(byNonAdmin, lastAdmin, unknown, malformed, reserved, readerWrites);

        assertThat(block.changes()).isEmpty();
        assertThat(block.writes()).isEmpty();
        assertThat(block.clientsAfter()).isEqualTo(ClientMembership.genesis(chain.membership));
        assertThat(block.refusals()).extracting(Refusal::kind).containsExactly(ErrorKind.FORBIDDEN, ErrorKind.INVALID,
                ErrorKind.INVALID, ErrorKind.INVALID, ErrorKind.INVALID, ErrorKind.FORBIDDEN);
        assertThat(block.refusals()).extracting(Refusal::reason).containsExactly(
                "client 'alice' lacks the admin role that membership changes (key ledger:membership) need",
                "client 'admin' is the last admin; add or promote another admin first",
                "client 'nobody' is not a member",
                "membership payload needs the string field 'clientId'",
                "keys starting with 'ledger:' are reserved; only ledger:membership and ledger:replicas may be written, by an admin",
                "client 'reader' lacks the submit role");
    }

    @Test
    void changesOfOneBlockApplyInOrderSoTheSecondRevocationOfTwoAdminsIsRefused() {
        chain.append(chain.membershipOp(chain.admin, roles("alice", "submit", "admin")));
        Transaction aliceRevokesAdmin = chain.membershipOp(chain.alice, revoke("admin"));
        Transaction adminRevokesAlice = chain.membershipOp(chain.admin, revoke("alice"));
        ExecutedBlock block = chain.append(aliceRevokesAdmin, adminRevokesAlice);

        assertThat(block.changes()).extracting(MembershipChange::txId).containsExactly(aliceRevokesAdmin.txId());
        assertThat(block.refusals()).extracting(Refusal::txId).containsExactly(adminRevokesAlice.txId());
        assertThat(block.clientsAfter().client("alice")).isPresent();
        assertThat(block.clientsAfter().client("admin")).isEmpty();
    }

    @Test
    void executionIsDeterministicAndTheCheckpointDigestFollowsTheMembership() {
        PermissionedChain other = new PermissionedChain();
        Transaction op = chain.membershipOp(chain.admin, add(carol, "submit"));
        ExecutedBlock here = chain.append(op);
        ExecutedBlock there = other.append(op);
        assertThat(there.block().hash()).isEqualTo(here.block().hash());
        assertThat(there.clientsAfter()).isEqualTo(here.clientsAfter());

        Digest before = CheckpointDigest.of(1, here.block().hash(), ClientMembership.genesis(chain.membership).digest());
        Digest after = CheckpointDigest.of(1, here.block().hash(), here.clientsAfter().digest());
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void aVerifierReplayingTheChainAcceptsItAndReachesTheSameMembership() {
        chain.append(chain.membershipOp(chain.admin, add(carol, "submit")), chain.write(chain.alice, "a", "1"));
        chain.append(chain.write(carol, "c", "1"), chain.membershipOp(chain.admin, revoke("alice")));
        chain.append(chain.write(chain.alice, "a", "2"), chain.write(carol, "c", "2"));

        ChainVerifier verifier = new ChainVerifier(chain.membership);
        BlockHeader previous = Genesis.of(chain.membership).header();
        ClientMembership clients = ClientMembership.genesis(chain.membership);
        for (ExecutedBlock b : chain.blocks()) {
            assertThat(verifier.problem(previous, b.block())).isEmpty();
            ChainVerifier.Verdict verdict = verifier.verify(previous, clients, b.block());
            assertThat(verdict.valid()).isTrue();
            assertThat(verdict.executed().refusals()).isEqualTo(b.refusals());
            previous = b.block().header();
            clients = verdict.executed().clientsAfter();
        }
        assertThat(clients).isEqualTo(chain.clients());
    }

    @Test
    void aVerifierRefusesABlockWhoseStateHashAppliedARefusedWrite() {
        chain.append(chain.membershipOp(chain.admin, revoke("alice")));
        Transaction refused = chain.write(chain.alice, "a", "1");
        BlockHeader previous = chain.tip();
        // What a replica that ignored the revocation would have produced.
        ExecutedBlock permissive = BlockExecutor.execute(previous, chain.batch(previous, List.of(refused)));

        ChainVerifier.Verdict verdict = new ChainVerifier(chain.membership)
                .verify(previous, chain.clients(), permissive.block());
        assertThat(verdict.problem()).isEqualTo("stateHash does not chain from the previous block's");
    }

    @Test
    void aVerifierRefusesATransactionSignedByAStranger() {
        Transaction stranger = identity("mallory", 70).sign(1, "m", "1");
        BlockHeader previous = chain.tip();
        ExecutedBlock forged = BlockExecutor.execute(previous, chain.batch(previous, List.of(stranger)));
        Optional<String> problem = new ChainVerifier(chain.membership).problem(previous, forged.block());
        assertThat(problem).hasValue("transaction 0: client mallory is not a member");
    }
}
