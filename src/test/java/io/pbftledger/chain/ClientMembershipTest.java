package io.pbftledger.chain;

import static io.pbftledger.chain.PermissionedChain.add;
import static io.pbftledger.chain.PermissionedChain.identity;
import static io.pbftledger.chain.PermissionedChain.revoke;
import static io.pbftledger.chain.PermissionedChain.roles;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientMembershipTest {
    private final PermissionedChain chain = new PermissionedChain();
    private final ClientMembership genesis = ClientMembership.genesis(chain.membership);
    private final ClientIdentity carol = identity("carol", 60);

    private static ClientMembership apply(ClientMembership m, String payload, long height) {
        return m.apply(MembershipOp.parse(payload), height);
    }

    private static void assertRefused(Runnable change, ErrorKind kind, String detail) {
        assertThatThrownBy(change::run).isInstanceOfSatisfying(LedgerException.class, e -> {
            assertThat(e.kind()).isEqualTo(kind);
            assertThat(e.getMessage()).isEqualTo(detail);
        });
    }

    @Test
    void theGenesisMembershipIsTheFilesClientsAtHeightZeroWithTheFilesDigest() {
        assertThat(genesis.height()).isZero();
        assertThat(genesis.clients()).extracting(ClientEntry::id).containsExactly("admin", "alice", "reader");
        assertThat(genesis.clients()).allSatisfy(c -> assertThat(c.since()).isZero());
        assertThat(genesis.clientsDigest()).isEqualTo(CheckpointDigest.clients(chain.membership));
    }

    /** The checkpoint digest covers the newest replica set, so the old set's boundary checkpoint certifies it. */
    @Test
    void theDigestCoversTheNewestReplicaSetAndItsUrls() {
        ReplicaRoster roster = genesis.replicas();
        ClientMembership moved = genesis.withReplicas(roster.apply(new ReplicaOp.SetUrl(2, "http://10.0.0.9:8080"),
                4, 7, 0, io.pbftledger.pbft.message.Digest.ZERO), 4);
        assertThat(moved.clientsDigest()).isEqualTo(genesis.clientsDigest());
        assertThat(moved.digest()).isNotEqualTo(genesis.digest())
                .isEqualTo(CheckpointDigest.membership(genesis.clientsDigest(),
                        CheckpointDigest.replicas(moved.replicas().latest())));
        assertThat(CheckpointDigest.replicas(moved.replicas().latest()))
                .isNotEqualTo(CheckpointDigest.replicas(new ReplicaRoster.Epoch(1, 102, moved.replicas().latest().members())));
    }

    @Test
    void addRolesAndRevokeTakeEffectAtTheirHeightAndChangeTheDigest() {
        ClientMembership added = apply(genesis, add(carol, "submit"), 3);
        assertThat(added.height()).isEqualTo(3);
        assertThat(added.client("carol")).hasValueSatisfying(c -> {
            assertThat(c.roles()).containsExactly(Role.SUBMIT);
            assertThat(c.since()).isEqualTo(3);
            assertThat(c.publicKey()).isEqualTo(carol.privateKey().publicKey());
        });
        assertThat(added.digest()).isNotEqualTo(genesis.digest());

        ClientMembership promoted = apply(added, roles("carol", "read", "admin"), 5);
        assertThat(promoted.client("carol").orElseThrow().roles()).containsExactly(Role.READ, Role.ADMIN);
        assertThat(promoted.client("carol").orElseThrow().since()).isEqualTo(5);
        assertThat(promoted.digest()).isNotEqualTo(added.digest());

        ClientMembership revoked = apply(promoted, revoke("carol"), 9);
        assertThat(revoked.client("carol")).isEmpty();
        assertThat(revoked.height()).isEqualTo(9);
        assertThat(revoked.digest()).isEqualTo(genesis.digest());
        assertThat(revoked.knownKeys("carol")).as("the revoked key is remembered for validation")
                .containsExactly(carol.privateKey().publicKey());
        assertThat(genesis.client("carol")).as("memberships are immutable").isEmpty();
    }

    @Test
    void invalidChangesAreRefusedWithTheirReason() {
        assertRefused(() -> apply(genesis, add(chain.alice, "submit"), 1), ErrorKind.INVALID,
                "client 'alice' is already a member; change its roles with op 'roles', or revoke it first to give it a new key");
        assertRefused(() -> apply(genesis, add(identity("alice-2", 51), "submit"), 1), ErrorKind.INVALID,
                "publicKey is already the key of client 'alice'");
        assertRefused(() -> apply(genesis, revoke("nobody"), 1), ErrorKind.INVALID, "client 'nobody' is not a member");
        assertRefused(() -> apply(genesis, roles("nobody", "read"), 1), ErrorKind.INVALID, "client 'nobody' is not a member");
        assertRefused(() -> apply(genesis, revoke("admin"), 1), ErrorKind.INVALID,
                "client 'admin' is the last admin; add or promote another admin first");
        assertRefused(() -> apply(genesis, roles("admin", "submit"), 1), ErrorKind.INVALID,
                "client 'admin' is the last admin; add or promote another admin first");
    }

    @Test
    void anAdminMayBeRevokedOnceAnotherAdminExists() {
        ClientMembership two = apply(genesis, roles("alice", "submit", "admin"), 1);
        ClientMembership one = apply(two, revoke("admin"), 2);
        assertThat(one.client("admin")).isEmpty();
        assertRefused(() -> apply(one, revoke("alice"), 3), ErrorKind.INVALID,
                "client 'alice' is the last admin; add or promote another admin first");
    }

    @Test
    void malformedPayloadsAreRefusedPrecisely() {
        assertRefused(() -> MembershipOp.parse("[1]"), ErrorKind.INVALID,
                "membership payload must be a JSON object with an 'op' field");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"delete\",\"clientId\":\"x\"}"), ErrorKind.INVALID,
                "membership payload needs \"op\": \"add\", \"revoke\" or \"roles\"");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"revoke\",\"clientId\":\"x\",\"why\":1}"), ErrorKind.INVALID,
                "membership payload has unknown field 'why' for op 'revoke' (known fields: op, clientId)");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"revoke\",\"clientId\":\"bad id\"}"), ErrorKind.INVALID,
                "membership payload clientId must match " + Transaction.ID_PATTERN.pattern());
        assertRefused(() -> MembershipOp.parse("{\"op\":\"add\",\"clientId\":\"x\",\"publicKey\":\"AAAA\",\"roles\":[\"read\"]}"),
                ErrorKind.INVALID, "membership payload publicKey is not a base64 Ed25519 public key of 32 bytes: "
                        + "an Ed25519 public key is 32 bytes");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"roles\",\"clientId\":\"x\",\"roles\":[]}"), ErrorKind.INVALID,
                "membership payload needs 'roles', a non-empty array of \"submit\", \"read\", \"admin\"");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"roles\",\"clientId\":\"x\",\"roles\":[\"read\",\"read\"]}"),
                ErrorKind.INVALID, "membership payload lists role 'read' twice");
        assertRefused(() -> MembershipOp.parse("{\"op\":\"roles\",\"clientId\":\"x\",\"roles\":[\"root\"]}"),
                ErrorKind.INVALID, "membership payload roles: unknown role 'root' (expected submit, read or admin)");
    }

    @Test
    void aRestoredMembershipEqualsTheOneItWasStoredFrom() {
        ClientMembership changed = apply(apply(genesis, add(carol, "submit"), 2), revoke("alice"), 4);
        ClientMembership restored = ClientMembership.restore(changed.chainId(), 4, changed.clients(), Map.of(
                "admin", List.of(chain.admin.privateKey().publicKey()),
                "alice", List.of(chain.alice.privateKey().publicKey()),
                "carol", List.of(carol.privateKey().publicKey()),
                "reader", List.of(chain.reader.privateKey().publicKey())), changed.replicas());
        assertThat(restored).isEqualTo(changed);
        assertThat(restored.digest()).isEqualTo(changed.digest());
        assertThat(restored.knownKeys("alice")).containsExactly(chain.alice.privateKey().publicKey());
        assertThat(new ClientEntry("x", carol.privateKey().publicKey(), EnumSet.of(Role.ADMIN), 0).mayAct(Role.SUBMIT))
                .as("admin implies submit").isTrue();
    }
}
