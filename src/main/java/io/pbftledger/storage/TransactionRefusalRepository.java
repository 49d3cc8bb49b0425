package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface TransactionRefusalRepository extends JpaRepository<TransactionRefusalEntity, String> {

    /**
     * The refusals of block {@code height}, ascending by index. transaction_refusals has no index on
     * block_height; the block's txIds come from the (block_height, tx_index) unique index of
     * transactions, and each refusal by its primary key, so the statement reads only the block's rows.
     */
    @Query("select r from TransactionRefusalEntity r where r.blockHeight = :height and r.txId in "
            + "(select t.txId from TransactionEntity t where t.blockHeight = :height) order by r.txIndex")
    List<TransactionRefusalEntity> findInBlock(@Param("height") long height);
}
