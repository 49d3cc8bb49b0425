package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface StateHistoryRepository extends JpaRepository<StateHistoryEntity, StateHistoryEntity.Key> {

    /** A key's writes, newest first (served by idx_state_history_key_height). */
    List<StateHistoryEntity> findByStateKeyOrderByIdBlockHeightDescIdTxIndexDesc(String stateKey, Limit limit);
}
