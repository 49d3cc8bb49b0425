package io.pbftledger.storage;

import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;

interface BlockRepository extends JpaRepository<BlockEntity, Long> {

    Optional<BlockEntity> findByHash(String hash);

    Optional<BlockEntity> findTopByOrderByHeightDesc();

    Optional<BlockEntity> findTopBySequenceNumberLessThanEqualOrderByHeightDesc(long sequence);

    List<BlockEntity> findByHeightLessThanOrderByHeightDesc(long height, Limit limit);

    List<BlockEntity> findByHeightBetweenOrderByHeightAsc(long fromHeight, long toHeight);
}
