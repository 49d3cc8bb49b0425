package io.pbftledger.storage;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface TransactionRepository extends JpaRepository<TransactionEntity, String> {

    List<TransactionEntity> findByBlockHeightBetweenOrderByBlockHeightAscTxIndexAsc(long fromHeight, long toHeight);

    Optional<TransactionEntity> findByClientIdAndNonce(String clientId, long nonce);

    boolean existsByClientIdAndNonce(String clientId, long nonce);
}
