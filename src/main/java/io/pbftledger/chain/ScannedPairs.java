package io.pbftledger.chain;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link PriorExecution} for a reader that walks a chain in order: the (clientId, nonce) pairs of the
 * blocks it has passed, on top of what {@code before} knows (the blocks before the walk started).
 * Pairs are kept per block height so that a walker whose blocks reach durable storage can forget them
 * ({@link #forgetUpTo}) and stay within memory.
 */
public final class ScannedPairs implements PriorExecution {
    private final PriorExecution before;
    private final TreeMap<Long, List<String>> byHeight = new TreeMap<>();
    private final Set<String> pairs = new HashSet<>();

    public ScannedPairs(PriorExecution before) {
        this.before = before;
    }

    @Override
    public boolean executed(String clientId, long nonce) {
        return pairs.contains(key(clientId, nonce)) || before.executed(clientId, nonce);
    }

    /** Records a block the walk passed (after checking it). */
    public void passed(Block block) {
        List<String> keys = new java.util.ArrayList<>(block.transactions().size());
        for (Transaction tx : block.transactions()) {
            String key = key(tx.clientId(), tx.nonce());
            if (pairs.add(key)) {
                keys.add(key);
            }
        }
        byHeight.put(block.height(), keys);
    }

    /** Forgets the pairs of blocks at or below {@code height}: {@code before} knows them now. */
    public void forgetUpTo(long height) {
        forget(byHeight.headMap(height, true));
    }

    /** Forgets the pairs of blocks above {@code height}: the walk goes back there (a peer's page was refused). */
    public void forgetAbove(long height) {
        forget(byHeight.tailMap(height, false));
    }

    private void forget(Map<Long, List<String>> blocks) {
        blocks.values().forEach(pairs::removeAll);
        blocks.clear();
    }

    public int size() {
        return pairs.size();
    }

    private static String key(String clientId, long nonce) {
        return clientId + "#" + nonce;
    }
}
