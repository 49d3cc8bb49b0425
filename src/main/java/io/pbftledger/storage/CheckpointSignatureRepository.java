package io.pbftledger.storage;

import java.util.Collection;
import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CheckpointSignatureRepository extends JpaRepository<CheckpointSignatureEntity, CheckpointSignatureEntity.Key> {

    @Query("select s from CheckpointSignatureEntity s where s.id.sequence in :sequences order by s.id.sequence, s.id.replicaId")
    List<CheckpointSignatureEntity> findForSequences(@Param("sequences") Collection<Long> sequences);
}
