package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

interface CommitSignatureRepository extends JpaRepository<CommitSignatureEntity, CommitSignatureEntity.Key> {

    /** Certificates of the blocks in [fromHeight, toHeight], by height, then by replica id. */
    @Query("select s from CommitSignatureEntity s where s.id.blockHeight between :fromHeight and :toHeight"
            + " order by s.id.blockHeight, s.id.replicaId")
    List<CommitSignatureEntity> findForBlocks(@Param("fromHeight") long fromHeight, @Param("toHeight") long toHeight);
}
