package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface SkippedTransactionRepository extends JpaRepository<SkippedTransactionEntity, SkippedTransactionEntity.Position> {

    List<SkippedTransactionEntity> findByPositionBlockHeightBetweenOrderByPositionBlockHeightAscPositionTxIndexAsc(
            long fromHeight, long toHeight);

    /** Indices of the skipped transactions of block {@code height}, ascending (a range of the primary key). */
    @Query("select s.position.txIndex from SkippedTransactionEntity s where s.position.blockHeight = :height "
            + "order by s.position.txIndex")
    List<Integer> findIndicesInBlock(@Param("height") long height);
}
