package io.pbftledger.storage;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface TransactionRepository extends JpaRepository<TransactionEntity, String> {

    List<TransactionEntity> findByBlockHeightBetweenOrderByBlockHeightAscTxIndexAsc(long fromHeight, long toHeight);

    Optional<TransactionEntity> findByClientIdAndNonce(String clientId, long nonce);

    boolean existsByClientIdAndNonce(String clientId, long nonce);

    /** (clientId, nonce) of the stored transactions among these clients and nonces: a superset of the pairs asked. */
    @Query("select t.clientId, t.nonce from TransactionEntity t where t.clientId in :clientIds and t.nonce in :nonces")
    List<Object[]> findPairs(@Param("clientIds") Collection<String> clientIds, @Param("nonces") Collection<Long> nonces);

    /** (clientId, nonce) of every transaction stored in blocks {@code fromHeight..toHeight}. */
    /** Per block height in the range: (height, transaction count, total payload length), ascending. */
    @Query("select t.blockHeight, count(t), sum(length(t.payload)) from TransactionEntity t"
            + " where t.blockHeight between :fromHeight and :toHeight group by t.blockHeight order by t.blockHeight")
    List<Object[]> volumesInHeights(@Param("fromHeight") long fromHeight, @Param("toHeight") long toHeight);

    @Query("select t.clientId, t.nonce from TransactionEntity t where t.blockHeight between :fromHeight and :toHeight")
    List<Object[]> findPairsInHeights(@Param("fromHeight") long fromHeight, @Param("toHeight") long toHeight);
}
