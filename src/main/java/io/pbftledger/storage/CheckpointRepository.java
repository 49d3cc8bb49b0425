package io.pbftledger.storage;

import java.util.List;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface CheckpointRepository extends JpaRepository<CheckpointEntity, Long> {

    @Query("select c from CheckpointEntity c order by c.sequence desc")
    List<CheckpointEntity> newestFirst(Pageable page);
}
