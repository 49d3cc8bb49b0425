package io.pbftledger.node;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.BlockStore;
import io.pbftledger.chain.ErrorKind;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.StateWrite;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.pbft.message.Digest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A test double of the JPA store with the same contract: append only at latest+1, unique (clientId, nonce). */
class InMemoryLedgerStore implements BlockStore, LedgerQueries {
    private final List<Block> blocks = new ArrayList<>();
    private final Map<String, TransactionRecord> byClientNonce = new HashMap<>();
    private final Map<Digest, TransactionRecord> byTxId = new HashMap<>();
    private final Map<String, List<StateEntry>> history = new HashMap<>();
    private final Map<Long, List<Integer>> skippedByHeight = new HashMap<>();

    @Override
    public synchronized void initialize(Block genesis) {
        if (blocks.isEmpty()) {
            blocks.add(genesis);
        } else if (!blocks.get(0).hash().equals(genesis.hash())) {
            throw new IllegalStateException("different genesis");
        }
    }

    @Override
    public synchronized BlockHeader latestHeader() {
        return blocks.get(blocks.size() - 1).header();
    }

    @Override
    public synchronized BlockHeader headerAtOrBelowSequence(long sequence) {
        for (int i = blocks.size() - 1; i >= 0; i--) {
            if (blocks.get(i).header().sequence() <= sequence) {
                return blocks.get(i).header();
            }
        }
        throw new IllegalStateException("no genesis");
    }

    @Override
    public synchronized void append(ExecutedBlock executed) {
        write(executed);
    }

    private void write(ExecutedBlock executed) {
        Block block = executed.block();
        if (block.height() != blocks.size()) {
            throw new IllegalStateException("expected height " + blocks.size() + " got " + block.height());
        }
        List<TransactionRecord> records = new ArrayList<>();
        for (int i = 0; i < block.transactions().size(); i++) {
            if (executed.isSkipped(i)) {
                continue; // executed before: kept in the block, not stored as executed
            }
            Transaction tx = block.transactions().get(i);
            TransactionRecord r = new TransactionRecord(tx, tx.txId(), block.height(), block.hash(), i);
            if (byClientNonce.containsKey(tx.clientId() + "/" + tx.nonce())) {
                throw new IllegalStateException("duplicate (clientId, nonce) " + tx);
            }
            records.add(r);
        }
        blocks.add(block);
        skippedByHeight.put(block.height(), executed.skipped());
        for (TransactionRecord r : records) {
            byClientNonce.put(r.transaction().clientId() + "/" + r.transaction().nonce(), r);
            byTxId.put(r.txId(), r);
        }
        for (StateWrite w : executed.writes()) {
            history.computeIfAbsent(w.key(), k -> new ArrayList<>()).add(0,
                    new StateEntry(w.key(), w.value(), block.height(), w.txId()));
        }
    }

    /**
     * As the JPA store: every block is checked before any is stored (consecutive heights linking to
     * the tip and to each other, no (clientId, nonce) stored or repeated within the group), so a
     * refused group leaves nothing behind.
     */
    @Override
    public synchronized void appendAll(List<ExecutedBlock> group) {
        if (group.size() > APPEND_ALL_MAX_BLOCKS) {
            throw new IllegalArgumentException("at most " + APPEND_ALL_MAX_BLOCKS + " blocks per call, got " + group.size());
        }
        BlockHeader stored = latestHeader();
        BlockHeader previous = stored;
        Set<String> pairs = new HashSet<>();
        for (ExecutedBlock executed : group) {
            BlockHeader header = executed.block().header();
            String previousName = previous == stored ? "stored block " + previous.height()
                    : "block " + previous.height() + ", the one before it in the group";
            if (header.height() != previous.height() + 1) {
                throw new IllegalStateException("block " + header.height() + " cannot follow " + previousName
                        + "; only " + (previous.height() + 1) + " can");
            }
            if (!header.previousHash().equals(previous.hash())) {
                throw new IllegalStateException("block " + header.height() + " does not link to " + previousName);
            }
            List<Transaction> txs = executed.block().transactions();
            for (int i = 0; i < txs.size(); i++) {
                String pair = txs.get(i).clientId() + "/" + txs.get(i).nonce();
                if (!executed.isSkipped(i) && (byClientNonce.containsKey(pair) || !pairs.add(pair))) {
                    throw new LedgerException(ErrorKind.CONFLICT, "block " + header.height()
                            + " repeats (clientId, nonce) " + pair + "; nothing was written");
                }
            }
            previous = header;
        }
        group.forEach(this::write);
    }

    @Override
    public synchronized Optional<TransactionRecord> findByClientNonce(String clientId, long nonce) {
        return Optional.ofNullable(byClientNonce.get(clientId + "/" + nonce));
    }

    @Override
    public synchronized Optional<Block> blockByHeight(long height) {
        return height >= 0 && height < blocks.size() ? Optional.of(blocks.get((int) height)) : Optional.empty();
    }

    @Override
    public synchronized Optional<Block> blockByHash(Digest hash) {
        return blocks.stream().filter(b -> b.hash().equals(hash)).findFirst();
    }

    @Override
    public synchronized List<BlockHeader> headersBefore(long beforeHeight, int limit) {
        List<BlockHeader> out = new ArrayList<>();
        for (long h = Math.min(beforeHeight, blocks.size()) - 1; h >= 0 && out.size() < limit; h--) {
            out.add(blocks.get((int) h).header());
        }
        return out;
    }

    @Override
    public synchronized List<Block> blocksBetween(long fromHeight, long toHeight) {
        List<Block> out = new ArrayList<>();
        for (long h = Math.max(0, fromHeight); h <= toHeight && h < blocks.size(); h++) {
            out.add(blocks.get((int) h));
        }
        return out;
    }

    @Override
    public synchronized Optional<TransactionRecord> transaction(Digest txId) {
        return Optional.ofNullable(byTxId.get(txId));
    }

    @Override
    public synchronized List<TransactionRecord> blockTransactions(long height) {
        return byTxId.values().stream().filter(r -> r.blockHeight() == height)
                .sorted((a, b) -> Integer.compare(a.index(), b.index())).toList();
    }

    @Override
    public synchronized List<Integer> skippedInBlock(long height) {
        return skippedByHeight.getOrDefault(height, List.of());
    }

    @Override
    public synchronized Optional<StateEntry> state(String key) {
        List<StateEntry> h = history.get(key);
        return h == null ? Optional.empty() : Optional.of(h.get(0));
    }

    @Override
    public synchronized List<StateEntry> stateHistory(String key, int limit) {
        List<StateEntry> h = history.getOrDefault(key, List.of());
        return List.copyOf(h.subList(0, Math.min(limit, h.size())));
    }

    synchronized List<Digest> blockHashes() {
        return blocks.stream().map(Block::hash).toList();
    }
}
