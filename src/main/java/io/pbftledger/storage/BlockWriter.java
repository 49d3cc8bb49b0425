package io.pbftledger.storage;

import io.pbftledger.chain.StateWrite;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the rows of one block inside the caller's transaction; the flush happens at its commit,
 * where the transaction manager translates constraint violations into Spring's exception types. Inserts go through
 * {@link EntityManager#persist}: the keys are assigned, so persist never selects first (as
 * Spring Data's save would, to decide between insert and merge) and Hibernate batches the inserts.
 */
final class BlockWriter {
    /** Keys per world-state lookup, well below the bind-parameter limits of H2 and PostgreSQL. */
    static final int KEY_LOOKUP_MAX_KEYS = 1_000;

    private final EntityManager entityManager;
    private final WorldStateRepository worldState;

    BlockWriter(EntityManager entityManager, WorldStateRepository worldState) {
        this.entityManager = entityManager;
        this.worldState = worldState;
    }

    void write(BlockRows rows) {
        // Read the current values before persisting anything, so the query triggers no early flush.
        Map<String, WorldStateEntity> current = currentValues(new ArrayList<>(rows.latestWrites().keySet()));
        entityManager.persist(rows.block());
        rows.signatures().forEach(entityManager::persist);
        rows.transactions().forEach(entityManager::persist);
        rows.skipped().forEach(entityManager::persist);
        rows.history().forEach(entityManager::persist);
        for (StateWrite write : rows.latestWrites().values()) {
            WorldStateEntity entity = current.get(write.key());
            if (entity == null) {
                entityManager.persist(WorldStateEntity.of(write, rows.height()));
            } else {
                entity.overwrite(write, rows.height());
            }
        }
    }

    private Map<String, WorldStateEntity> currentValues(List<String> keys) {
        Map<String, WorldStateEntity> current = new HashMap<>();
        for (int from = 0; from < keys.size(); from += KEY_LOOKUP_MAX_KEYS) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEY_LOOKUP_MAX_KEYS));
            for (WorldStateEntity e : worldState.findAllById(chunk)) {
                current.put(e.stateKey(), e);
            }
        }
        return current;
    }
}
