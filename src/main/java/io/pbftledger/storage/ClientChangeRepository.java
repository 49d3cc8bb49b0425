package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;

interface ClientChangeRepository extends JpaRepository<ClientChangeEntity, ClientChangeEntity.Key> {

    /** The changes up to a height, in the order they were executed. */
    List<ClientChangeEntity> findByIdBlockHeightLessThanEqualOrderByIdBlockHeightAscIdTxIndexAsc(long height);

    boolean existsByIdBlockHeight(long height);

    ClientChangeEntity findTopByOrderByIdBlockHeightDescIdTxIndexDesc();
}
