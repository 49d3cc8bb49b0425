package io.pbftledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.MembershipOp;
import io.pbftledger.chain.ReplicaOp;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.util.List;
import io.pbftledger.chain.Refusal;
import jakarta.persistence.EntityManagerFactory;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The client membership in a real database (Flyway-migrated, validated by Hibernate): stored with
 * the block that changes it, read back after a restart, replayed to any height. Each subclass
 * supplies the database.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import(JpaLedgerStore.class)
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@TestPropertySource(properties = {"spring.jpa.hibernate.ddl-auto=validate", "spring.jpa.open-in-view=false",
        "spring.jpa.properties.hibernate.generate_statistics=true"})
abstract class ClientMembershipStoreContract {
    private static final List<String> TABLES_CHILDREN_FIRST = List.of("replica_changes", "transaction_refusals", "client_changes",
            "clients", "checkpoint_signatures", "checkpoints", "state_history", "world_state", "skipped_transactions",
            "transactions", "commit_signatures", "blocks");

    @Autowired
    private JpaLedgerStore store;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private ApplicationContext context;
    @Autowired
    private EntityManagerFactory entityManagerFactory;

    private final LedgerFixture fixture = new LedgerFixture("membership-store-test");
    private final ClientIdentity admin = fixture.admin();
    private final ClientIdentity alice = fixture.alice();
    private final ClientIdentity carol = new ClientIdentity("carol", "membership-store-test",
            Ed25519.PrivateKey.fromSeed(new byte[32]));
    private final ClientMembership genesis = ClientMembership.genesis(fixture.membership());
    private JdbcTemplate jdbc;

    @BeforeEach
    void startFromAnEmptyChain() {
        jdbc = new JdbcTemplate(dataSource);
        TABLES_CHILDREN_FIRST.forEach(table -> jdbc.update("delete from " + table));
        store.initialize(fixture.genesis());
    }

    private Transaction op(long nonce, String payload) {
        return admin.sign(nonce, MembershipOp.KEY, payload);
    }

    private String addCarol() {
        return "{\"op\":\"add\",\"clientId\":\"carol\",\"publicKey\":\"" + carol.privateKey().publicKey().toBase64()
                + "\",\"roles\":[\"submit\"]}";
    }

    @Test
    void aNewChainStoresTheFilesClientsAsTheMembershipAtHeightZero() {
        assertThat(store.loadOrInitialize(genesis)).isEqualTo(genesis);
        assertThat(store.loadOrInitialize(genesis)).as("initializing twice changes nothing").isEqualTo(genesis);
        assertThat(jdbc.queryForObject("select count(*) from client_changes", Integer.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("select roles from clients where client_id = 'alice'", String.class))
                .isEqualTo("submit,read");
    }

    @Test
    void membershipChangesAreStoredWithTheirBlockAndSurviveARestart() {
        store.loadOrInitialize(genesis);
        ExecutedBlock b1 = fixture.next(fixture.genesis().header(), genesis,
                List.of(op(1, addCarol()), alice.sign(1, "a", "1")));
        store.append(b1);
        ExecutedBlock b2 = fixture.next(b1.block().header(), b1.clientsAfter(), List.of(
                op(2, "{\"op\":\"revoke\",\"clientId\":\"alice\"}"),
                op(3, "{\"op\":\"roles\",\"clientId\":\"carol\",\"roles\":[\"submit\",\"read\"]}")));
        store.append(b2);
        Transaction refused = alice.sign(2, "a", "2");
        ExecutedBlock b3 = fixture.next(b2.block().header(), b2.clientsAfter(), List.of(refused));
        store.append(b3);

        JpaLedgerStore restarted = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);
        ClientMembership current = restarted.loadOrInitialize(genesis);
        assertThat(current).isEqualTo(b3.clientsAfter());
        assertThat(current.height()).isEqualTo(2);
        assertThat(current.client("alice")).isEmpty();
        assertThat(current.client("carol").orElseThrow().roles()).containsExactly(Role.SUBMIT, Role.READ);
        assertThat(current.client("carol").orElseThrow().since()).isEqualTo(2);
        assertThat(current.knownKeys("alice")).as("the revoked key is still known for validation")
                .containsExactly(alice.privateKey().publicKey());

        assertThat(restarted.loadAt(genesis, 0)).isEqualTo(genesis);
        assertThat(restarted.loadAt(genesis, 1)).isEqualTo(b1.clientsAfter());
        assertThat(restarted.loadAt(genesis, 3)).isEqualTo(current);
        assertThat(restarted.refusal(refused.txId())).hasValueSatisfying(r -> {
            assertThat(r.height()).isEqualTo(3);
            assertThat(r.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(r.reason()).isEqualTo("client 'alice' is not a member of this ledger");
        });
        assertThat(restarted.refusal(b1.block().transactions().get(1).txId())).isEmpty();
    }

    /**
     * A replica-set change is stored with its block (alone, and in a group), and the roster is replayed
     * from the stored payloads after a restart and at any height.
     */
    @Test
    void replicaSetChangesAreStoredWithTheirBlockAndReplayedAfterARestart() {
        store.loadOrInitialize(genesis);
        Ed25519.PublicKey newKey = Ed25519.PrivateKey.fromSeed(new byte[] {
                7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7}).publicKey();
        ExecutedBlock b1 = fixture.next(fixture.genesis().header(), genesis, List.of(admin.sign(1, ReplicaOp.KEY,
                "{\"op\":\"rotate-key\",\"replicaId\":2,\"publicKey\":\"" + newKey.toBase64() + "\"}")));
        assertThat(b1.refusals()).isEmpty();
        assertThat(b1.replicaChanges()).hasSize(1);
        store.append(b1);
        ExecutedBlock b2 = fixture.next(b1.block().header(), b1.clientsAfter(), List.of(alice.sign(1, "a", "1")));
        // A second change before the first took effect is refused and stores nothing.
        ExecutedBlock b3 = fixture.next(b2.block().header(), b2.clientsAfter(), List.of(admin.sign(2, ReplicaOp.KEY,
                "{\"op\":\"set-url\",\"replicaId\":1,\"url\":\"http://10.9.9.9:9\"}")));
        assertThat(b3.refusals()).hasSize(1);
        store.appendAll(List.of(b2, b3));

        JpaLedgerStore restarted = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);
        ClientMembership current = restarted.loadOrInitialize(genesis);
        assertThat(current).isEqualTo(b3.clientsAfter());
        assertThat(current.replicas().latest().member(2).orElseThrow().publicKey()).isEqualTo(newKey);
        assertThat(current.replicas().changes()).singleElement().satisfies(c -> {
            assertThat(c.height()).isEqualTo(1);
            assertThat(c.epoch()).isEqualTo(1);
            assertThat(c.txId()).isEqualTo(b1.block().transactions().get(0).txId());
        });
        assertThat(restarted.loadAt(genesis, 0)).isEqualTo(genesis);
        assertThat(restarted.loadAt(genesis, 1).replicas()).isEqualTo(b1.clientsAfter().replicas());
        assertThat(jdbc.queryForObject("select epoch from replica_changes where block_height = 1", Long.class)).isEqualTo(1);
    }

    /** One group of blocks leaves the membership exactly as the same blocks appended one by one. */
    @Test
    void membershipChangesOfAGroupOfBlocksAreStoredAsThoseOfSeparateAppends() {
        store.loadOrInitialize(genesis);
        ExecutedBlock b1 = fixture.next(fixture.genesis().header(), genesis,
                List.of(op(1, addCarol()), alice.sign(1, "a", "1")));
        ExecutedBlock b2 = fixture.next(b1.block().header(), b1.clientsAfter(), List.of(
                op(2, "{\"op\":\"revoke\",\"clientId\":\"alice\"}"),
                op(3, "{\"op\":\"roles\",\"clientId\":\"carol\",\"roles\":[\"submit\",\"read\"]}")));
        Transaction refused = alice.sign(2, "a", "2");
        ExecutedBlock b3 = fixture.next(b2.block().header(), b2.clientsAfter(), List.of(refused));

        store.appendAll(List.of(b1, b2, b3));

        JpaLedgerStore restarted = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);
        ClientMembership current = restarted.loadOrInitialize(genesis);
        assertThat(current).isEqualTo(b3.clientsAfter());
        assertThat(current.client("alice")).isEmpty();
        assertThat(current.client("carol").orElseThrow().roles()).containsExactly(Role.SUBMIT, Role.READ);
        assertThat(current.client("carol").orElseThrow().since()).isEqualTo(2);
        assertThat(restarted.loadAt(genesis, 1)).isEqualTo(b1.clientsAfter());
        assertThat(restarted.loadAt(genesis, 2)).isEqualTo(b2.clientsAfter());
        assertThat(restarted.refusal(refused.txId())).hasValueSatisfying(r -> {
            assertThat(r.height()).isEqualTo(3);
            assertThat(r.kind()).isEqualTo(ErrorKind.FORBIDDEN);
        });
        assertThat(jdbc.queryForList("select client_id from clients order by client_id", String.class))
                .containsExactly("admin", "bob", "carol");
        assertThat(jdbc.queryForObject("select count(*) from client_changes", Integer.class)).isEqualTo(3 + 3);
    }

    /**
     * A block listing asks for its block's refusals once. A refusal belongs to the position where
     * execution refused the transaction: a later copy of it, ordered again and skipped, is not refused.
     */
    @Test
    void refusalsInBlockReturnsTheBlocksRefusalsByIndexInOneStatementAndOnlyAtTheirPositions() {
        store.loadOrInitialize(genesis);
        ExecutedBlock b1 = fixture.next(fixture.genesis().header(), genesis, List.of(
                op(1, "{\"op\":\"revoke\",\"clientId\":\"alice\"}"), alice.sign(1, "a", "1")));
        store.append(b1);
        Transaction revoked = alice.sign(2, "a", "2");
        Transaction written = admin.sign(2, "b", "3");
        Transaction invalid = op(3, "{\"op\":\"revoke\",\"clientId\":\"nobody\"}");
        ExecutedBlock b2 = fixture.next(b1.block().header(), b1.clientsAfter(), List.of(revoked, written, invalid));
        store.append(b2);
        ExecutedBlock b3 = fixture.next(b2.block().header(), b2.clientsAfter(), List.of(revoked),
                store::isExecuted);
        assertThat(b3.skipped()).as("the refused pair ran before: its copy is skipped").containsExactly(0);
        store.append(b3);
        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();

        stats.clear();
        List<Refusal> refused = store.refusalsInBlock(2);
        assertThat(stats.getPrepareStatementCount()).as("one statement for the whole block").isEqualTo(1);
        assertThat(refused).extracting(Refusal::index).containsExactly(0, 2);
        assertThat(refused).extracting(Refusal::txId).containsExactly(revoked.txId(), invalid.txId());
        assertThat(refused).extracting(Refusal::kind).containsExactly(ErrorKind.FORBIDDEN, ErrorKind.INVALID);
        assertThat(refused.get(0).reason()).isEqualTo("client 'alice' is not a member of this ledger");
        assertThat(refused.get(1).reason()).contains("nobody");
        assertThat(refused).allSatisfy(r -> assertThat(r.height()).isEqualTo(2));
        assertThat(store.refusalsInBlock(1)).as("block 1 executed both").isEmpty();
        assertThat(store.refusalsInBlock(3)).as("the skipped copy is no refusal").isEmpty();
        assertThat(store.skippedInBlock(3)).containsExactly(0);
        assertThat(store.refusalsInBlock(99)).as("no such block").isEmpty();
    }

    @Test
    void aBlockThatCannotBeStoredLeavesTheMembershipAsItWas() {
        store.loadOrInitialize(genesis);
        ExecutedBlock b1 = fixture.next(fixture.genesis().header(), genesis, List.of(alice.sign(1, "a", "1")));
        store.append(b1);
        // Repeats alice's (clientId, nonce): the database refuses the block, and its membership change with it.
        ExecutedBlock clash = fixture.next(b1.block().header(), b1.clientsAfter(),
                List.of(op(1, addCarol()), alice.sign(1, "a", "\"other\"")));
        assertThatThrownBy(() -> store.append(clash)).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));

        assertThat(store.loadOrInitialize(genesis)).isEqualTo(genesis);
        assertThat(jdbc.queryForObject("select count(*) from clients where client_id = 'carol'", Integer.class)).isZero();
    }
}
