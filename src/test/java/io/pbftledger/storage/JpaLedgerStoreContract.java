package io.pbftledger.storage;

import java.time.Instant;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.node.StoredCheckpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockVolume;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import jakarta.persistence.EntityManagerFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
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
 * Behaviour of {@link JpaLedgerStore} on a real database migrated by Flyway and validated by
 * Hibernate; each subclass supplies the database. Tests run outside a test transaction so every
 * append commits for real, as it does under the consensus driver.
 */
@DataJpaTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@Import({JpaLedgerStore.class, JpaCheckpointStore.class, JdbcCallCounter.class})
@Transactional(propagation = Propagation.NOT_SUPPORTED)
@TestPropertySource(properties = {
        "spring.jpa.hibernate.ddl-auto=validate",
        "spring.jpa.open-in-view=false",
        "spring.jpa.properties.hibernate.jdbc.batch_size=500",
        "spring.jpa.properties.hibernate.order_inserts=true",
        "spring.jpa.properties.hibernate.order_updates=true",
        "spring.jpa.properties.hibernate.generate_statistics=true"})
abstract class JpaLedgerStoreContract {
    private static final List<String> TABLES_CHILDREN_FIRST = List.of("replica_changes", "transaction_refusals", "client_changes",
            "clients", "checkpoint_signatures", "checkpoints", "state_history", "world_state", "skipped_transactions",
            "transactions", "commit_signatures", "blocks");

    @Autowired
    private JpaLedgerStore store;
    @Autowired
    private JpaCheckpointStore checkpoints;
    @Autowired
    private DataSource dataSource;
    @Autowired
    private ApplicationContext context;
    @Autowired
    private EntityManagerFactory entityManagerFactory;
    @Autowired
    private JdbcCallCounter calls;

    private final LedgerFixture fixture = new LedgerFixture("storage-test");
    private final ClientIdentity alice = fixture.alice();
    private final ClientIdentity bob = fixture.bob();
    private JdbcTemplate jdbc;
    private Block genesis;

    @BeforeEach
    void startFromAnInitializedEmptyChain() {
        jdbc = new JdbcTemplate(dataSource);
        TABLES_CHILDREN_FIRST.forEach(table -> jdbc.update("delete from " + table));
        genesis = fixture.genesis();
        store.initialize(genesis);
    }

    @Test
    void appendedBlocksReadBackExactlyAndStillVerifyAgainstTheMembership() {
        ExecutedBlock b1 = append(genesis.header(),
                alice.sign(1, "acct:alice", "{\"balance\": 10, \"name\": \"Zoë ✓\"}"),
                bob.sign(1, null, "{\"note\":\"no key\"}"));
        ExecutedBlock b2 = append(b1.block().header(), alice.sign(2, "acct:alice", "{\"balance\":7}"));

        Block read1 = store.blockByHeight(1).orElseThrow();
        Block read2 = store.blockByHeight(2).orElseThrow();
        assertSameBlock(read1, b1.block());
        assertSameBlock(read2, b2.block());
        assertThat(read1.transactions().get(0).payload()).isEqualTo("{\"balance\":10,\"name\":\"Zoë ✓\"}");
        ChainVerifier verifier = new ChainVerifier(fixture.membership());
        assertThat(verifier.problem(genesis.header(), read1)).isEmpty();
        assertThat(verifier.problem(read1.header(), read2)).isEmpty();
        assertThat(store.blockByHeight(0)).contains(genesis);
        assertThat(store.blockByHeight(3)).isEmpty();
        assertThat(store.latestHeader()).isEqualTo(b2.block().header());
    }

    /**
     * PBFT may order a request again after a view change; execution skips it. The block keeps it (its
     * batch digest and certificate cover it), the executed transaction stays the one answer for its
     * txId and (clientId, nonce), and the state is not written twice.
     */
    @Test
    void aTransactionOrderedAgainIsStoredInItsBlockAsSkippedAndExecutedOnlyOnce() {
        Transaction first = alice.sign(1, "k", "{\"v\":1}");
        ExecutedBlock b1 = append(genesis.header(), first);
        Transaction other = bob.sign(1, "k", "{\"v\":2}");
        ExecutedBlock b2 = fixture.next(b1.block().header(), List.of(first, other), store::isExecuted);
        assertThat(b2.skipped()).containsExactly(0);
        assertThat(b2.writes()).singleElement().satisfies(w -> assertThat(w.value()).isEqualTo("{\"v\":2}"));
        store.append(b2);

        Block read = store.blockByHeight(2).orElseThrow();
        assertSameBlock(read, b2.block());
        assertThat(store.blocksBetween(1, 2)).extracting(Block::hash).containsExactly(b1.block().hash(), b2.block().hash());
        assertThat(store.transaction(first.txId())).hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(1));
        assertThat(store.findByClientNonce(alice.clientId(), 1))
                .hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(1));
        assertThat(store.blockTransactions(2)).extracting(r -> r.transaction().clientId()).containsExactly("alice", "bob");
        assertThat(store.skippedInBlock(2)).as("the store knows the skipped position").containsExactly(0);
        assertThat(store.skippedInBlock(1)).isEmpty();
        assertThat(store.skippedInBlock(3)).as("no such block").isEmpty();
        assertThat(store.state("k")).hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("{\"v\":2}"));
        ChainVerifier verifier = new ChainVerifier(fixture.membership());
        assertThat(verifier.problem(b1.block().header(), read, (c, n) -> c.equals("alice") && n == 1)).isEmpty();
        assertThat(verifier.problem(b1.block().header(), read)).hasValueSatisfying(
                p -> assertThat(p).contains("stateHash"));
    }

    /** One query answers for a whole batch, and only for the exact (clientId, nonce) pairs stored. */
    @Test
    void priorExecutionOfABatchNamesExactlyTheStoredPairs() {
        append(genesis.header(), alice.sign(1, null, "{}"), bob.sign(2, null, "{}"));
        PriorExecution prior = store.priorExecution(List.of(alice.sign(1, null, "{}").toRequest(),
                alice.sign(2, null, "{}").toRequest(), bob.sign(1, null, "{}").toRequest()));
        assertThat(prior.executed("alice", 1)).isTrue();
        assertThat(prior.executed("alice", 2)).isFalse();
        assertThat(prior.executed("bob", 1)).as("bob and nonce 1 were both asked, the pair was not stored").isFalse();
    }

    @Test
    void blocksBetweenReturnsTheStoredBlocksOfTheRangeAscendingWithTheirContents() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{}"), bob.sign(1, "k", "{\"v\":[1]}"));
        ExecutedBlock b2 = append(b1.block().header());
        ExecutedBlock b3 = append(b2.block().header(), bob.sign(2, null, "{\"v\":true}"));

        List<Block> all = store.blocksBetween(0, 50);
        assertThat(all).extracting(Block::height).containsExactly(0L, 1L, 2L, 3L);
        assertSameBlock(all.get(1), b1.block());
        assertSameBlock(all.get(2), b2.block());
        assertSameBlock(all.get(3), b3.block());
        assertThat(store.blocksBetween(2, 2)).extracting(Block::height).containsExactly(2L);
        assertThat(store.blocksBetween(4, 9)).isEmpty();
        assertThat(store.blocksBetween(3, 2)).isEmpty();
        assertThat(store.blocksBetween(-5, 0)).containsExactly(genesis);
        assertThatThrownBy(() -> store.blocksBetween(0, JpaLedgerStore.RANGE_MAX_BLOCKS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blockVolumesAreCountedInTheStoreWithoutLoadingATransaction() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{}"), bob.sign(1, "k", "{\"v\":[1]}"));
        ExecutedBlock b2 = append(b1.block().header());
        append(b2.block().header(), bob.sign(2, null, "{\"v\":true}"));
        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        stats.clear();

        SortedMap<Long, BlockVolume> volumes = store.volumesBetween(0, 50);

        assertThat(volumes).containsExactly(Map.entry(1L, new BlockVolume(2, "{}".length() + "{\"v\":[1]}".length())),
                Map.entry(3L, new BlockVolume(1, "{\"v\":true}".length())));
        assertThat(stats.getPrepareStatementCount()).as("one aggregate query").isEqualTo(1);
        assertThat(stats.getEntityStatistics(TransactionEntity.class.getName()).getLoadCount()).isZero();
        assertThat(store.volumesBetween(2, 2)).isEmpty();
        assertThatThrownBy(() -> store.volumesBetween(0, JpaLedgerStore.RANGE_MAX_BLOCKS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blocksLargerThanOneJdbcBatchAreStoredWhole() {
        int keys = BlockWriter.BATCH_ROWS + 100;
        List<Transaction> txs = new ArrayList<>();
        for (int nonce = 1; nonce <= BlockWriter.BATCH_ROWS + 200; nonce++) {
            txs.add(alice.sign(nonce, "key-" + (nonce % keys), "{\"n\":" + nonce + "}"));
        }
        ExecutedBlock big = fixture.next(genesis.header(), txs);
        calls.reset();
        store.append(big);

        // 3,504 rows; without JDBC batching each would be its own statement.
        assertThat(calls.executions()).as("statements for one block").isLessThan(20);
        assertThat(calls.commits()).isEqualTo(1);
        assertSameBlock(store.blockByHeight(1).orElseThrow(), big.block());
        assertThat(rowCounts()).containsEntry("transactions", 1_200).containsEntry("state_history", 1_200)
                .containsEntry("world_state", 1_100).containsEntry("commit_signatures", 3);
        assertThat(store.state("key-0").orElseThrow().value()).isEqualTo("{\"n\":1100}");

        // Every key again: more updates than one batch holds.
        List<Transaction> again = new ArrayList<>();
        for (int nonce = 1_201; nonce <= 1_200 + keys; nonce++) {
            again.add(bob.sign(nonce, "key-" + (nonce % keys), "{\"n\":" + nonce + "}"));
        }
        store.append(fixture.next(big.block().header(), again));
        assertThat(rowCounts()).containsEntry("world_state", 1_100).containsEntry("state_history", 2_300);
        assertThat(store.state("key-0").orElseThrow()).satisfies(e -> {
            assertThat(e.value()).isEqualTo("{\"n\":2200}");
            assertThat(e.blockHeight()).isEqualTo(2);
        });
        assertThat(store.state("key-1099").orElseThrow().value()).isEqualTo("{\"n\":2199}");
    }

    @Test
    void readsTakeAFixedNumberOfStatementsAndHeadersNeverLoadTransactions() {
        BlockHeader tip = genesis.header();
        for (int i = 1; i <= 5; i++) {
            List<Transaction> txs = new ArrayList<>();
            for (int j = 0; j < 20; j++) {
                txs.add(alice.sign(100L * i + j, "k" + j, "{}"));
            }
            tip = append(tip, txs.toArray(Transaction[]::new)).block().header();
        }
        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();

        stats.clear();
        assertThat(store.headersBefore(6, 5)).hasSize(5);
        assertThat(stats.getPrepareStatementCount()).isEqualTo(1);
        assertThat(stats.getEntityStatistics(TransactionEntity.class.getName()).getLoadCount()).isZero();
        assertThat(stats.getEntityStatistics(CommitSignatureEntity.class.getName()).getLoadCount()).isZero();

        stats.clear();
        assertThat(store.blocksBetween(1, 5)).hasSize(5);
        assertThat(stats.getPrepareStatementCount()).as("blocks, transactions, signatures").isEqualTo(3);

        stats.clear();
        assertThat(store.blockByHeight(3).orElseThrow().transactions()).hasSize(20);
        assertThat(stats.getPrepareStatementCount()).isEqualTo(3);

        stats.clear();
        store.latestHeader();
        assertThat(stats.getPrepareStatementCount()).as("the tip is served from memory").isZero();
    }

    @Test
    void initializeStoresTheGenesisOnceAndAcceptsTheSameGenesisAgain() {
        store.initialize(fixture.genesis());
        store.initialize(new LedgerFixture("storage-test").genesis());

        assertThat(rowCounts()).containsEntry("blocks", 1);
        assertThat(store.latestHeader()).isEqualTo(genesis.header());
        assertThat(store.blockByHeight(0)).contains(genesis);
    }

    @Test
    void initializeRefusesTheGenesisOfAnotherClusterAndLeavesTheStoredChainAlone() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, null, "{}"));
        Block otherGenesis = new LedgerFixture("another-chain").genesis();

        assertThatThrownBy(() -> store.initialize(otherGenesis))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("another cluster");
        assertThat(store.blockByHeight(0)).contains(genesis);
        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
    }

    @Test
    void appendRefusesEveryBlockButTheNextLinkedOneAndWritesNothing() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":1}"));
        ExecutedBlock b2 = fixture.next(b1.block().header(), alice.sign(2, "k", "{\"v\":2}"));
        ExecutedBlock b3 = fixture.next(b2.block().header(), alice.sign(3, "k", "{\"v\":3}"));
        ExecutedBlock forkOf1 = fixture.next(genesis.header(), bob.sign(1, "k", "{\"v\":4}"));
        ExecutedBlock forkOf2 = fixture.next(forkOf1.block().header(), bob.sign(2, "k", "{\"v\":5}"));
        Map<String, Integer> before = rowCounts();

        assertThatThrownBy(() -> store.append(b3)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only 2 can");
        assertThatThrownBy(() -> store.append(b1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.append(forkOf2)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not link");

        assertThat(rowCounts()).isEqualTo(before);
        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
        assertThat(store.state("k").orElseThrow().value()).isEqualTo("{\"v\":1}");
        store.append(b2);
        assertThat(store.latestHeader()).isEqualTo(b2.block().header());
    }

    @Test
    void appendRefusesAnAlreadyCommittedClientNonceAndWritesNothing() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":\"first\"}"));
        // Same (client, nonce) with another payload, hence another transaction id.
        ExecutedBlock replay = fixture.next(b1.block().header(),
                bob.sign(1, "bob-key", "{\"v\":1}"), alice.sign(1, "k", "{\"v\":\"second\"}"));
        Map<String, Integer> before = rowCounts();

        assertThatThrownBy(() -> store.append(replay)).isInstanceOf(LedgerException.class)
                .satisfies(e -> assertThat(((LedgerException) e).kind()).isEqualTo(ErrorKind.CONFLICT));

        assertThat(rowCounts()).isEqualTo(before);
        assertThat(store.state("k").orElseThrow().value()).isEqualTo("{\"v\":\"first\"}");
        assertThat(store.state("bob-key")).isEmpty();
        assertThat(store.findByClientNonce("bob", 1)).isEmpty();
        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
        store.append(fixture.next(b1.block().header(), bob.sign(1, "bob-key", "{\"v\":1}")));
        assertThat(store.latestHeader().height()).isEqualTo(2);
    }

    @Test
    void appendAllStoresConsecutiveBlocksInOrderWithOneCommit() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":1}"));
        Transaction first = bob.sign(1, "k", "{\"v\":2}");
        ExecutedBlock b2 = fixture.next(b1.block().header(), first, alice.sign(2, "other", "{\"v\":3}"));
        ExecutedBlock b3 = fixture.next(b2.block().header());
        // Ordered again after a view change: skipped, as in a single append.
        ExecutedBlock b4 = fixture.next(b3.block().header(), List.of(first, bob.sign(2, "k", "{\"v\":4}")),
                (clientId, nonce) -> clientId.equals("bob") && nonce == 1);
        assertThat(b4.skipped()).containsExactly(0);
        ExecutedBlock b5 = fixture.next(b4.block().header(), alice.sign(3, null, "{}"));

        calls.reset();
        store.appendAll(List.of(b2, b3, b4, b5));

        assertThat(calls.commits()).as("one database transaction").isEqualTo(1);
        assertThat(calls.executions()).as("one batch per table, whatever the block count").isLessThan(15);
        assertThat(store.latestHeader()).isEqualTo(b5.block().header());
        List<Block> read = store.blocksBetween(1, 5);
        assertThat(read).extracting(Block::height).containsExactly(1L, 2L, 3L, 4L, 5L);
        for (ExecutedBlock expected : List.of(b2, b3, b4, b5)) {
            assertSameBlock(read.get((int) expected.block().height() - 1), expected.block());
        }
        ChainVerifier verifier = new ChainVerifier(fixture.membership());
        assertThat(verifier.problem(b1.block().header(), read.get(1))).isEmpty();
        assertThat(store.skippedInBlock(4)).containsExactly(0);
        assertThat(store.transaction(first.txId())).hasValueSatisfying(r -> assertThat(r.blockHeight()).isEqualTo(2));
        assertThat(store.state("k")).hasValueSatisfying(e -> {
            assertThat(e.value()).isEqualTo("{\"v\":4}");
            assertThat(e.blockHeight()).as("the height of the last write in the group").isEqualTo(4);
        });
        assertThat(store.state("other").orElseThrow().blockHeight()).isEqualTo(2);
        assertThat(store.stateHistory("k", 10)).extracting(StateEntry::blockHeight).containsExactly(4L, 2L, 1L);
        assertThat(store.isExecuted("alice", 3)).isTrue();
        assertThat(rowCounts()).containsEntry("blocks", 6).containsEntry("transactions", 5)
                .containsEntry("skipped_transactions", 1).containsEntry("commit_signatures", 15)
                .containsEntry("world_state", 2).containsEntry("state_history", 4);
    }

    /** The third block repeats a stored (clientId, nonce): the database refuses it after the rows of the first two were sent. */
    @Test
    void appendAllWritesNothingOfTheGroupWhenABlockInTheMiddleFails() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":1}"));
        ExecutedBlock b2 = fixture.next(b1.block().header(), bob.sign(1, "k", "{\"v\":2}"));
        ExecutedBlock b3 = fixture.next(b2.block().header(), alice.sign(2, "new-key", "{}"));
        ExecutedBlock clash = fixture.next(b3.block().header(), alice.sign(1, "k", "{\"v\":\"again\"}"));
        ExecutedBlock b5 = fixture.next(clash.block().header(), bob.sign(2, "k", "{\"v\":5}"));
        Map<String, Integer> before = rowCounts();

        assertThatThrownBy(() -> store.appendAll(List.of(b2, b3, clash, b5))).isInstanceOfSatisfying(LedgerException.class,
                e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.getMessage()).contains("blocks 2 to 5").contains("nothing was written");
                });

        assertThat(rowCounts()).isEqualTo(before);
        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
        assertThat(store.blockByHeight(2)).isEmpty();
        assertThat(store.state("k").orElseThrow().value()).isEqualTo("{\"v\":1}");
        assertThat(store.state("new-key")).isEmpty();
        assertThat(store.findByClientNonce("bob", 1)).isEmpty();

        // Two blocks of the group repeating each other's pair are refused alike.
        ExecutedBlock again = fixture.next(b3.block().header(), bob.sign(1, "k", "{\"v\":\"again\"}"));
        assertThatThrownBy(() -> store.appendAll(List.of(b2, b3, again))).isInstanceOfSatisfying(LedgerException.class,
                e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
        assertThat(rowCounts()).isEqualTo(before);

        store.appendAll(List.of(b2, b3));
        assertThat(store.latestHeader()).isEqualTo(b3.block().header());
        assertThat(store.state("k").orElseThrow().value()).isEqualTo("{\"v\":2}");
    }

    @Test
    void appendAllRefusesAGroupThatDoesNotContinueTheTipOrItselfAndWritesNothing() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":1}"));
        ExecutedBlock b2 = fixture.next(b1.block().header(), alice.sign(2, "k", "{\"v\":2}"));
        ExecutedBlock b3 = fixture.next(b2.block().header(), alice.sign(3, "k", "{\"v\":3}"));
        ExecutedBlock b4 = fixture.next(b3.block().header(), alice.sign(4, "k", "{\"v\":4}"));
        ExecutedBlock forkOf1 = fixture.next(genesis.header(), bob.sign(1, "k", "{\"v\":5}"));
        ExecutedBlock forkOf2 = fixture.next(forkOf1.block().header(), bob.sign(2, "k", "{\"v\":6}"));
        ExecutedBlock forkOf3 = fixture.next(forkOf2.block().header(), bob.sign(3, "k", "{\"v\":7}"));
        Map<String, Integer> before = rowCounts();

        assertThatThrownBy(() -> store.appendAll(List.of(b3, b4))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 3 cannot follow stored block 1; only 2 can");
        assertThatThrownBy(() -> store.appendAll(List.of(forkOf2, forkOf3))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("block 2 does not link to stored block 1 (previousHash "
                        + forkOf1.block().hash().hex());
        assertThatThrownBy(() -> store.appendAll(List.of(b2, b4))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 4 cannot follow block 2, the one before it in the group; only 3 can");
        assertThatThrownBy(() -> store.appendAll(List.of(b2, b3, b3))).isInstanceOf(IllegalStateException.class)
                .hasMessage("block 3 cannot follow block 3, the one before it in the group; only 4 can");
        assertThatThrownBy(() -> store.appendAll(List.of(b2, forkOf3))).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("block 3 does not link to block 2, the one before it in the group");
        List<ExecutedBlock> tooMany = java.util.Collections.nCopies(io.pbftledger.chain.BlockStore.APPEND_ALL_MAX_BLOCKS + 1, b2);
        assertThatThrownBy(() -> store.appendAll(tooMany)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most " + io.pbftledger.chain.BlockStore.APPEND_ALL_MAX_BLOCKS);
        store.appendAll(List.of());

        assertThat(rowCounts()).isEqualTo(before);
        assertThat(store.latestHeader()).isEqualTo(b1.block().header());
        store.appendAll(List.of(b2, b3, b4));
        assertThat(store.latestHeader()).isEqualTo(b4.block().header());
    }

    @Test
    void appendRefusesABlockHoldingTheSameClientNonceTwice() {
        ExecutedBlock executed = fixture.next(genesis.header(),
                alice.sign(1, null, "{\"v\":1}"), alice.sign(1, null, "{\"v\":2}"));
        assertThat(executed.skipped()).as("execution skips the second").containsExactly(1);
        // A block that claims to execute both is refused by the store.
        ExecutedBlock twice = new ExecutedBlock(executed.block(), executed.writes());

        assertThatThrownBy(() -> store.append(twice)).isInstanceOf(LedgerException.class)
                .hasMessageContaining("alice#1");
        assertThat(rowCounts()).containsEntry("blocks", 1).containsEntry("transactions", 0);
    }

    @Test
    void worldStateHoldsTheLatestWriteAndHistoryListsEveryWriteNewestFirst() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, "k", "{\"v\":1}"),
                alice.sign(2, "k", "{\"v\":2}"), bob.sign(1, "other", "{\"v\":\"x\"}"));
        Transaction last = bob.sign(2, "k", "{\"v\":3}");
        append(b1.block().header(), alice.sign(3, null, "{}"), last);

        StateEntry current = store.state("k").orElseThrow();
        assertThat(current).isEqualTo(new StateEntry("k", "{\"v\":3}", 2, last.txId()));
        assertThat(store.state("other").orElseThrow().blockHeight()).isEqualTo(1);
        assertThat(store.stateHistory("k", 10)).extracting(StateEntry::value, StateEntry::blockHeight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("{\"v\":3}", 2L),
                        org.assertj.core.groups.Tuple.tuple("{\"v\":2}", 1L),
                        org.assertj.core.groups.Tuple.tuple("{\"v\":1}", 1L));
        assertThat(store.stateHistory("k", 2)).extracting(StateEntry::value).containsExactly("{\"v\":3}", "{\"v\":2}");
        assertThat(store.state("missing")).isEmpty();
        assertThat(store.stateHistory("missing", 5)).isEmpty();
        assertThatThrownBy(() -> store.stateHistory("k", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headersBeforePagesThroughTheChainNewestFirst() {
        BlockHeader tip = genesis.header();
        for (int i = 1; i <= 6; i++) {
            tip = append(tip, alice.sign(i, null, "{}")).block().header();
        }

        assertThat(store.headersBefore(7, 3)).extracting(BlockHeader::height).containsExactly(6L, 5L, 4L);
        assertThat(store.headersBefore(4, 3)).extracting(BlockHeader::height).containsExactly(3L, 2L, 1L);
        assertThat(store.headersBefore(1, 3)).containsExactly(genesis.header());
        assertThat(store.headersBefore(0, 3)).isEmpty();
        assertThat(store.headersBefore(Long.MAX_VALUE, 2).get(0)).isEqualTo(tip);
        assertThatThrownBy(() -> store.headersBefore(7, JpaLedgerStore.PAGE_MAX_ROWS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blockByHashFindsTheBlockAndAnUnknownHashFindsNothing() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, null, "{}"));

        assertSameBlock(store.blockByHash(b1.block().hash()).orElseThrow(), b1.block());
        assertThat(store.blockByHash(genesis.hash())).contains(genesis);
        assertThat(store.blockByHash(Digest.sha256(new byte[] {1}))).isEmpty();
    }

    @Test
    void transactionLookupsReportTheBlockAndIndexOfEachTransaction() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, null, "{}"));
        Transaction first = bob.sign(1, "k", "{\"v\":1}");
        Transaction second = alice.sign(2, null, "{\"v\":2}");
        ExecutedBlock b2 = append(b1.block().header(), first, second);
        Digest hash2 = b2.block().hash();

        assertThat(store.transaction(second.txId()))
                .contains(new TransactionRecord(second, second.txId(), 2, hash2, 1));
        assertThat(store.blockTransactions(2)).containsExactly(
                new TransactionRecord(first, first.txId(), 2, hash2, 0),
                new TransactionRecord(second, second.txId(), 2, hash2, 1));
        assertThat(store.blockTransactions(0)).isEmpty();
        assertThat(store.blockTransactions(9)).isEmpty();
        assertThat(store.transaction(alice.sign(99, null, "{}").txId())).isEmpty();
    }

    @Test
    void findByClientNonceFindsOnlyCommittedTransactions() {
        Transaction tx = alice.sign(7, "k", "{}");
        append(genesis.header(), tx);

        TransactionRecord found = store.findByClientNonce("alice", 7).orElseThrow();
        assertThat(found.transaction()).isEqualTo(tx);
        assertThat(found.blockHeight()).isEqualTo(1);
        assertThat(store.findByClientNonce("alice", 8)).isEmpty();
        assertThat(store.findByClientNonce("bob", 7)).isEmpty();
    }

    @Test
    void aStoreOpenedOnAnExistingDatabaseContinuesFromTheStoredTip() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, null, "{}"));
        ExecutedBlock b2 = append(b1.block().header(), alice.sign(2, null, "{}"));
        JpaLedgerStore reopened = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);

        reopened.initialize(genesis);
        assertThat(reopened.latestHeader()).isEqualTo(b2.block().header());
        reopened.append(fixture.next(b2.block().header(), alice.sign(3, null, "{}")));
        assertThat(reopened.latestHeader().height()).isEqualTo(3);
    }

    @Test
    void aStoreOpenedOnAnExistingDatabaseKnowsWhichPairsRanBefore() {
        ExecutedBlock b1 = append(genesis.header(), alice.sign(1, null, "{}"), bob.sign(5, null, "{}"));
        append(b1.block().header(), alice.sign(2, null, "{}"));
        JpaLedgerStore reopened = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);

        assertThat(reopened.isExecuted("alice", 1)).isTrue();
        assertThat(reopened.isExecuted("alice", 2)).isTrue();
        assertThat(reopened.isExecuted("bob", 5)).isTrue();
        assertThat(reopened.isExecuted("bob", 1)).isFalse();
        assertThat(reopened.findByClientNonce("bob", 5)).isPresent();
        PriorExecution prior = reopened.priorExecution(List.of(alice.sign(2, null, "{}").toRequest(),
                alice.sign(3, null, "{}").toRequest()));
        assertThat(prior.executed("alice", 2)).isTrue();
        assertThat(prior.executed("alice", 3)).isFalse();
    }

    @Test
    void pairsNeverStoredAreAnsweredFromMemoryWithoutAQuery() {
        append(genesis.header(), alice.sign(1, null, "{}"));
        Statistics stats = entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
        store.isExecuted("warm-up", 0);

        stats.clear();
        List<io.pbftledger.pbft.message.ClientRequest> fresh = new ArrayList<>();
        for (long nonce = 1_000; nonce < 1_200; nonce++) {
            assertThat(store.isExecuted("alice", nonce)).isFalse();
            assertThat(store.findByClientNonce("bob", nonce)).isEmpty();
            fresh.add(alice.sign(nonce, null, "{}").toRequest());
        }
        assertThat(store.priorExecution(fresh).executed("alice", 1_000)).isFalse();
        // 1% false positives at most while the filter is within capacity: 400 questions, a few may reach the database.
        assertThat(stats.getPrepareStatementCount()).isLessThanOrEqualTo(12);
        assertThat(store.isExecuted("alice", 1)).isTrue();
    }

    @Test
    void latestHeaderOfAnEmptyDatabaseAsksForInitialization() {
        TABLES_CHILDREN_FIRST.forEach(table -> jdbc.update("delete from " + table));
        JpaLedgerStore empty = context.getAutowireCapableBeanFactory().createBean(JpaLedgerStore.class);

        assertThatThrownBy(empty::latestHeader).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("initialize");
    }

    private ExecutedBlock append(BlockHeader previous, Transaction... txs) {
        ExecutedBlock block = fixture.next(previous, txs);
        store.append(block);
        return block;
    }

    /** Equal in every part; the certificate comes back in replica-id order. */
    private static void assertSameBlock(Block actual, Block expected) {
        assertThat(actual.header()).isEqualTo(expected.header());
        assertThat(actual.hash()).isEqualTo(expected.hash());
        assertThat(actual.transactions()).isEqualTo(expected.transactions());
        List<Signed<Commit>> sorted = new ArrayList<>(expected.certificate());
        sorted.sort(Comparator.comparingInt(s -> s.message().replica()));
        assertThat(actual.certificate()).isEqualTo(sorted);
    }

    private Map<String, Integer> rowCounts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String table : TABLES_CHILDREN_FIRST) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Integer.class));
        }
        return counts;
    }

    private static StoredCheckpoint checkpoint(long sequence, long height, int signers) {
        Digest digest = Digest.sha256(new byte[] {(byte) sequence});
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int r = 0; r < signers; r++) {
            byte[] signature = new byte[64];
            signature[0] = (byte) r;
            signature[1] = (byte) sequence;
            proof.add(new Signed<>(new Checkpoint(r, sequence, digest), signature));
        }
        return new StoredCheckpoint(sequence, digest, height, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(sequence), proof);
    }

    @Test
    void stableCheckpointsComeBackNewestFirstWithTheirProofs() {
        checkpoints.save(checkpoint(100, 40, 3));
        checkpoints.save(checkpoint(200, 75, 4));
        checkpoints.save(checkpoint(300, 90, 3));

        assertThat(checkpoints.latest()).hasValueSatisfying(c -> {
            assertThat(c.sequence()).isEqualTo(300);
            assertThat(c.blockHeight()).isEqualTo(90);
            assertThat(c).isEqualTo(checkpoint(300, 90, 3));
        });
        assertThat(checkpoints.recent(2)).extracting(StoredCheckpoint::sequence).containsExactly(300L, 200L);
        assertThat(checkpoints.recent(5).get(1).proof()).isEqualTo(checkpoint(200, 75, 4).proof());
        assertThat(checkpoints.at(200)).contains(checkpoint(200, 75, 4));
        assertThat(checkpoints.at(250)).isEmpty();
    }

    @Test
    void savingACheckpointTwiceKeepsTheFirstAndAForeignProofIsRefusedWholesale() {
        checkpoints.save(checkpoint(100, 40, 3));
        checkpoints.save(checkpoint(100, 41, 4));
        assertThat(checkpoints.recent(10)).singleElement().satisfies(c -> {
            assertThat(c.blockHeight()).isEqualTo(40);
            assertThat(c.proof()).hasSize(3);
        });

        StoredCheckpoint good = checkpoint(200, 50, 3);
        List<Signed<Checkpoint>> mixed = new ArrayList<>(good.proof());
        mixed.set(1, checkpoint(300, 50, 3).proof().get(1));
        assertThatThrownBy(() -> checkpoints.save(new StoredCheckpoint(200, good.stateDigest(), 50, good.created(), mixed)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(checkpoints.latest()).hasValueSatisfying(c -> assertThat(c.sequence()).isEqualTo(100));
        assertThatThrownBy(() -> checkpoints.recent(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
