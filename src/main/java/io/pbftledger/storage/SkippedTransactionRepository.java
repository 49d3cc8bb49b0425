package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface SkippedTransactionRepository extends JpaRepository<SkippedTransactionEntity, SkippedTransactionEntity.Position> {

    List<SkippedTransactionEntity> findByPositionBlockHeightBetweenOrderByPositionBlockHeightAscPositionTxIndexAsc(
            long fromHeight, long toHeight);
}
