package io.pbftledger.storage;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.BlockVolume;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.Refusal;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The chain in a relational database (H2 or PostgreSQL) through JPA. The consensus driver is the
 * single writer; readers (REST API, explorer, state transfer) may run on any thread.
 *
 * <p>{@link #append} and {@link #appendAll} always commit their own transaction (REQUIRES_NEW), even
 * when called inside another one: the driver relies on a returned append being durable before it
 * acknowledges. They write with JDBC batches ({@link BlockWriter}) in a transaction of the JPA
 * transaction manager; reads go through the Spring Data repositories.
 */
@Repository
public class JpaLedgerStore implements BlockStore, LedgerQueries, ClientMembershipStore {
    /** Most rows {@link #headersBefore} and {@link #stateHistory} return in one call. */
    public static final int PAGE_MAX_ROWS = 1_000;
    /**
     * Most blocks {@link #blocksBetween} serves in one call (a wider range throws); callers page
     * through longer ranges. A range below 0 is clipped to 0, an empty range gives no blocks.
     */
    public static final int RANGE_MAX_BLOCKS = 1_000;
    /** Requests per (clientId, nonce) lookup: two IN lists of at most this many, within every driver's bind limits. */
    static final int PAIR_LOOKUP_MAX = 500;
    /** Pairs the executed-pair filter starts with (it grows; see {@link ExecutedPairFilter}). */
    static final long PAIR_FILTER_MIN_CAPACITY = 1L << 20;
    /** Memory after which the executed-pair filter stops growing and answers "maybe" more often instead. */
    static final long PAIR_FILTER_MAX_BYTES = 64L << 20;
    /** Blocks per query while the executed-pair filter is loaded at start. */
    private static final int PAIR_FILTER_LOAD_BLOCKS = 200;

    private final BlockRepository blocks;
    private final TransactionRepository transactions;
    private final SkippedTransactionRepository skipped;
    private final CommitSignatureRepository signatures;
    private final WorldStateRepository worldState;
    private final StateHistoryRepository history;
    private final BlockWriter writer;
    private final ClientMembershipRows clientRows;
    private final TransactionRefusalRepository refusals;
    private final TransactionTemplate writeTx;
    private final TransactionTemplate readTx;
    /** Highest stored header, null until first needed; see {@link #latestHeader()}. */
    private final AtomicReference<BlockHeader> latest = new AtomicReference<>();
    /** Loaded from the stored transactions on first use; see {@link #pairFilter()}. */
    private volatile ExecutedPairFilter pairFilter;

    public JpaLedgerStore(BlockRepository blocks, TransactionRepository transactions,
                          SkippedTransactionRepository skipped,
                          CommitSignatureRepository signatures, WorldStateRepository worldState,
                          StateHistoryRepository history, ClientRepository clients, ClientChangeRepository clientChanges,
                          TransactionRefusalRepository refusals, EntityManager entityManager,
                          PlatformTransactionManager transactionManager, DataSource dataSource) {
        this.blocks = blocks;
        this.transactions = transactions;
        this.skipped = skipped;
        this.signatures = signatures;
        this.worldState = worldState;
        this.history = history;
        // Same DataSource as the JPA transaction manager's, so the writes join its transactions.
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        this.writer = new BlockWriter(jdbc);
        this.clientRows = new ClientMembershipRows(entityManager, clients, clientChanges, jdbc);
        this.refusals = refusals;
        this.writeTx = new TransactionTemplate(transactionManager);
        this.writeTx.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.readTx = new TransactionTemplate(transactionManager);
        this.readTx.setReadOnly(true);
    }

    @Override
    public void initialize(Block genesis) {
        if (genesis.height() != 0) {
            throw new IllegalArgumentException("a genesis block has height 0, not " + genesis.height());
        }
        Optional<BlockHeader> stored = read(() -> blocks.findById(0L).map(BlockEntity::toHeader));
        if (stored.isPresent()) {
            Digest storedHash = stored.get().hash();
            if (!storedHash.equals(genesis.hash())) {
                throw new IllegalStateException("the database holds the chain of another cluster (or one written "
                        + "with block header version 1, before view and primary left the block hash): its genesis is "
                        + storedHash.hex() + ", the membership's is " + genesis.hash().hex());
            }
            return;
        }
        BlockRows rows = BlockRows.of(new ExecutedBlock(genesis, List.of()));
        writeTx.executeWithoutResult(status -> writer.write(List.of(rows)));
        latest.set(genesis.header());
    }

    /**
     * Served from memory after the first read. Safe because this store is the chain's only writer
     * and moves the cached header only after a commit; a reader that fills the cache concurrently
     * with an append can only lose to the higher header.
     */
    @Override
    public BlockHeader latestHeader() {
        BlockHeader cached = latest.get();
        if (cached != null) {
            return cached;
        }
        BlockHeader stored = read(() -> blocks.findTopByOrderByHeightDesc().map(BlockEntity::toHeader))
                .orElseThrow(() -> new IllegalStateException("the block store is empty; initialize it with the genesis block first"));
        return latest.accumulateAndGet(stored, (current, read) ->
                current == null || read.height() > current.height() ? read : current);
    }

    @Override
    public BlockHeader headerAtOrBelowSequence(long sequence) {
        BlockHeader cached = latest.get();
        if (cached != null && cached.sequence() <= sequence) {
            return cached;
        }
        return read(() -> blocks.findTopBySequenceNumberLessThanEqualOrderByHeightDesc(sequence).map(BlockEntity::toHeader))
                .orElseThrow(() -> new IllegalStateException("no stored block at or below sequence " + sequence));
    }

    @Override
    public void append(ExecutedBlock executed) {
        store(List.of(executed));
    }

    @Override
    public void appendAll(List<ExecutedBlock> group) {
        if (group.size() > APPEND_ALL_MAX_BLOCKS) {
            throw new IllegalArgumentException("at most " + APPEND_ALL_MAX_BLOCKS + " blocks per call, got " + group.size());
        }
        if (!group.isEmpty()) {
            store(group);
        }
    }

    /** Checks that {@code group} continues the stored chain, then writes it in one transaction. */
    private void store(List<ExecutedBlock> group) {
        BlockHeader stored = latestHeader();
        BlockHeader previous = stored;
        List<BlockRows> rows = new ArrayList<>(group.size());
        for (ExecutedBlock executed : group) {
            BlockHeader header = executed.block().header();
            String previousName = previous == stored ? "stored block " + previous.height()
                    : "block " + previous.height() + ", the one before it in the group";
            if (header.height() != previous.height() + 1) {
                throw new IllegalStateException("block " + header.height() + " cannot follow " + previousName
                        + "; only " + (previous.height() + 1) + " can");
            }
            if (!header.previousHash().equals(previous.hash())) {
                throw new IllegalStateException("block " + header.height() + " does not link to " + previousName
                        + " (previousHash " + header.previousHash().hex() + ", its hash " + previous.hash().hex() + ")");
            }
            rows.add(BlockRows.of(executed));
            previous = header;
        }
        // Before the commit, so a "no" from the filter never hides a committed pair.
        ExecutedPairFilter filter = pairFilter();
        for (BlockRows block : rows) {
            for (Transaction tx : block.executedTransactions()) {
                filter.add(tx.clientId(), tx.nonce());
            }
        }
        try {
            writeTx.executeWithoutResult(status -> writer.write(rows));
        } catch (DataIntegrityViolationException e) {
            String what = rows.size() == 1
                    ? "block " + rows.get(0).height() + " repeats a stored transaction id or (clientId, nonce), or"
                            + " another writer stored this height"
                    : "blocks " + rows.get(0).height() + " to " + previous.height() + " repeat a stored transaction id"
                            + " or (clientId, nonce) (within the group too), or another writer stored one of these heights";
            throw new LedgerException(ErrorKind.CONFLICT, what + "; nothing was written");
        }
        latest.set(previous);
    }

    @Override
    public ClientMembership loadOrInitialize(ClientMembership genesis) {
        if (genesis.height() != 0) {
            throw new IllegalArgumentException("the genesis client membership has height 0, not " + genesis.height());
        }
        writeTx.executeWithoutResult(status -> {
            if (!clientRows.hasGenesis()) {
                clientRows.writeGenesis(genesis);
            }
        });
        return read(() -> clientRows.loadCurrent(genesis));
    }

    @Override
    public ClientMembership loadAt(ClientMembership genesis, long height) {
        return read(() -> clientRows.replay(genesis, height)).orElse(genesis);
    }

    @Override
    public Optional<Refusal> refusal(Digest txId) {
        return read(() -> refusals.findById(txId.hex()).map(TransactionRefusalEntity::toRefusal));
    }

    @Override
    public List<Refusal> refusalsInBlock(long height) {
        return read(() -> refusals.findInBlock(height).stream().map(TransactionRefusalEntity::toRefusal).toList());
    }

    @Override
    public Optional<TransactionRecord> findByClientNonce(String clientId, long nonce) {
        if (!pairFilter().mightContain(clientId, nonce)) {
            return Optional.empty();
        }
        return read(() -> transactions.findByClientIdAndNonce(clientId, nonce).map(this::located));
    }

    @Override
    public boolean isExecuted(String clientId, long nonce) {
        if (!pairFilter().mightContain(clientId, nonce)) {
            return false;
        }
        return read(() -> transactions.existsByClientIdAndNonce(clientId, nonce));
    }

    /** One query per {@link #PAIR_LOOKUP_MAX} requests instead of one per request. */
    @Override
    public PriorExecution priorExecution(List<ClientRequest> requests) {
        ExecutedPairFilter filter = pairFilter();
        List<ClientRequest> maybe = new ArrayList<>();
        for (ClientRequest r : requests) {
            if (filter.mightContain(r.clientId(), r.nonce())) {
                maybe.add(r);
            }
        }
        if (maybe.isEmpty()) {
            return PriorExecution.NONE;
        }
        Set<String> executed = new HashSet<>();
        for (int from = 0; from < maybe.size(); from += PAIR_LOOKUP_MAX) {
            List<ClientRequest> chunk = maybe.subList(from, Math.min(maybe.size(), from + PAIR_LOOKUP_MAX));
            Set<String> clientIds = new HashSet<>();
            Set<Long> nonces = new HashSet<>();
            for (ClientRequest r : chunk) {
                clientIds.add(r.clientId());
                nonces.add(r.nonce());
            }
            for (Object[] row : read(() -> transactions.findPairs(clientIds, nonces))) {
                executed.add(row[0] + "#" + row[1]);
            }
        }
        // The query answers a superset (any asked client with any asked nonce); the set lookup is exact.
        return (clientId, nonce) -> executed.contains(clientId + "#" + nonce);
    }

    @Override
    public Optional<Block> blockByHeight(long height) {
        return read(() -> blocks.findById(height).map(this::withContents));
    }

    @Override
    public Optional<Block> blockByHash(Digest hash) {
        return read(() -> blocks.findByHash(hash.hex()).map(this::withContents));
    }

    @Override
    public List<BlockHeader> headersBefore(long beforeHeight, int limit) {
        checkPage(limit);
        return read(() -> blocks.findByHeightLessThanOrderByHeightDesc(beforeHeight, Limit.of(limit))
                .stream().map(BlockEntity::toHeader).toList());
    }

    @Override
    public SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
        long from = Math.max(0, fromHeight);
        if (toHeight < from) {
            return new TreeMap<>();
        }
        if (toHeight - from >= RANGE_MAX_BLOCKS) {
            throw new IllegalArgumentException("at most " + RANGE_MAX_BLOCKS + " blocks per call, asked for ["
                    + from + ", " + toHeight + "]");
        }
        return read(() -> {
            SortedMap<Long, BlockVolume> out = new TreeMap<>();
            for (Object[] row : transactions.volumesInHeights(from, toHeight)) {
                out.put(((Number) row[0]).longValue(), new BlockVolume(((Number) row[1]).longValue(),
                        row[2] == null ? 0 : ((Number) row[2]).longValue()));
            }
            return out;
        });
    }

    @Override
    public List<Block> blocksBetween(long fromHeight, long toHeight) {
        long from = Math.max(0, fromHeight);
        if (toHeight < from) {
            return List.of();
        }
        if (toHeight - from >= RANGE_MAX_BLOCKS) {
            throw new IllegalArgumentException("at most " + RANGE_MAX_BLOCKS + " blocks per call, asked for ["
                    + from + ", " + toHeight + "]");
        }
        return read(() -> {
            List<BlockEntity> found = blocks.findByHeightBetweenOrderByHeightAsc(from, toHeight);
            if (found.isEmpty()) {
                return List.<Block>of();
            }
            // Under READ COMMITTED each query sees its own snapshot: bound the next two by the blocks
            // actually read, so a block committed meanwhile cannot contribute orphan rows.
            long last = found.get(found.size() - 1).height();
            return BlockAssembler.assemble(found, rowsOf(found), signatures.findForBlocks(from, last));
        });
    }

    @Override
    public Optional<TransactionRecord> transaction(Digest txId) {
        return read(() -> transactions.findById(txId.hex()).map(this::located));
    }

    @Override
    public List<TransactionRecord> blockTransactions(long height) {
        return read(() -> blocks.findById(height)
                .map(block -> rowsOf(List.of(block)).stream()
                        .map(tx -> tx.toRecord(block.hash())).toList())
                .orElse(List.of()));
    }

    @Override
    public List<Integer> skippedInBlock(long height) {
        return read(() -> List.copyOf(skipped.findIndicesInBlock(height)));
    }

    @Override
    public Optional<StateEntry> state(String key) {
        return read(() -> worldState.findById(key).map(WorldStateEntity::toEntry));
    }

    @Override
    public List<StateEntry> stateHistory(String key, int limit) {
        checkPage(limit);
        return read(() -> history.findByStateKeyOrderByIdBlockHeightDescIdTxIndexDesc(key, Limit.of(limit))
                .stream().map(StateHistoryEntity::toEntry).toList());
    }

    private Block withContents(BlockEntity block) {
        return BlockAssembler.assemble(List.of(block), rowsOf(List.of(block)),
                signatures.findForBlocks(block.height(), block.height())).get(0);
    }

    /**
     * Executed and skipped transactions of {@code found} (ascending, contiguous heights), ascending by
     * (height, index). Skipped ones are rare: their table is read only when the executed rows fall
     * short of the blocks' transaction counts.
     */
    private List<TransactionRow> rowsOf(List<BlockEntity> found) {
        long from = found.get(0).height();
        long to = found.get(found.size() - 1).height();
        List<TransactionRow> rows = new ArrayList<>(
                transactions.findByBlockHeightBetweenOrderByBlockHeightAscTxIndexAsc(from, to));
        long expected = 0;
        for (BlockEntity block : found) {
            expected += block.toHeader().transactionCount();
        }
        if (rows.size() < expected) {
            rows.addAll(skipped.findByPositionBlockHeightBetweenOrderByPositionBlockHeightAscPositionTxIndexAsc(from, to));
            rows.sort(Comparator.comparingLong(TransactionRow::blockHeight).thenComparingInt(TransactionRow::txIndex));
        }
        return rows;
    }

    private TransactionRecord located(TransactionEntity tx) {
        BlockEntity block = blocks.findById(tx.blockHeight()).orElseThrow(() -> new IllegalStateException(
                "transaction stored at height " + tx.blockHeight() + " without its block"));
        return tx.toRecord(block.hash());
    }

    private static void checkPage(int limit) {
        if (limit < 1 || limit > PAGE_MAX_ROWS) {
            throw new IllegalArgumentException("limit must be between 1 and " + PAGE_MAX_ROWS + ", got " + limit);
        }
    }

    /**
     * Runs the queries of one read in one read-only transaction (one connection, one persistence
     * context). Rows are never changed once written, except world_state, which each read touches
     * with one query, so reads need no stronger isolation.
     */
    /**
     * The executed-pair filter, loaded on first use from every stored transaction (paged by height,
     * so memory stays bounded however long the chain). Loaded at most once; the single writer and
     * the readers that race to load it wait for the one load.
     */
    private ExecutedPairFilter pairFilter() {
        ExecutedPairFilter filter = pairFilter;
        if (filter != null) {
            return filter;
        }
        synchronized (this) {
            if (pairFilter == null) {
                pairFilter = loadPairFilter();
            }
            return pairFilter;
        }
    }

    private ExecutedPairFilter loadPairFilter() {
        long stored = read(transactions::count);
        ExecutedPairFilter filter = new ExecutedPairFilter(Math.max(PAIR_FILTER_MIN_CAPACITY, 2 * stored),
                PAIR_FILTER_MAX_BYTES);
        long top = read(() -> blocks.findTopByOrderByHeightDesc().map(BlockEntity::height)).orElse(0L);
        for (long from = 0; from <= top; from += PAIR_FILTER_LOAD_BLOCKS) {
            long to = Math.min(top, from + PAIR_FILTER_LOAD_BLOCKS - 1);
            long first = from;
            for (Object[] row : read(() -> transactions.findPairsInHeights(first, to))) {
                filter.add((String) row[0], (Long) row[1]);
            }
        }
        return filter;
    }

    private <T> T read(Supplier<T> query) {
        return readTx.execute(status -> query.get());
    }
}
