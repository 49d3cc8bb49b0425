package io.pbftledger.storage;

import io.pbftledger.node.CheckpointStore;
import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Stable checkpoints and their proofs through JPA; one database transaction per checkpoint. */
@Repository
public class JpaCheckpointStore implements CheckpointStore {
    private static final int LIMIT_MAX = 1000;

    private final CheckpointRepository checkpoints;
    private final CheckpointSignatureRepository signatures;
    private final TransactionTemplate tx;

    public JpaCheckpointStore(CheckpointRepository checkpoints, CheckpointSignatureRepository signatures,
                              PlatformTransactionManager transactionManager) {
        this.checkpoints = checkpoints;
        this.signatures = signatures;
        this.tx = new TransactionTemplate(transactionManager);
    }

    @Override
    public void save(StoredCheckpoint checkpoint) {
        tx.executeWithoutResult(status -> {
            if (checkpoints.existsById(checkpoint.sequence())) {
                return;
            }
            checkpoints.save(new CheckpointEntity(checkpoint.sequence(), checkpoint.stateDigest().hex(),
                    checkpoint.blockHeight(), checkpoint.created().atOffset(ZoneOffset.UTC)));
            List<CheckpointSignatureEntity> rows = new ArrayList<>(checkpoint.proof().size());
            for (Signed<Checkpoint> signed : checkpoint.proof()) {
                if (signed.message().sequence() != checkpoint.sequence()
                        || !signed.message().stateDigest().equals(checkpoint.stateDigest())) {
                    throw new IllegalArgumentException("proof of checkpoint " + checkpoint.sequence()
                            + " holds a CHECKPOINT for another sequence or digest");
                }
                rows.add(CheckpointSignatureEntity.of(signed));
            }
            signatures.saveAll(rows);
        });
    }

    @Override
    public Optional<StoredCheckpoint> latest() {
        List<StoredCheckpoint> newest = recent(1);
        return newest.isEmpty() ? Optional.empty() : Optional.of(newest.get(0));
    }

    @Override
    public List<StoredCheckpoint> recent(int limit) {
        if (limit < 1 || limit > LIMIT_MAX) {
            throw new IllegalArgumentException("limit must be 1.." + LIMIT_MAX + ", got " + limit);
        }
        return tx.execute(status -> withProofs(checkpoints.newestFirst(PageRequest.of(0, limit))));
    }

    @Override
    public Optional<StoredCheckpoint> at(long sequence) {
        return tx.execute(status -> withProofs(checkpoints.findById(sequence).stream().toList()).stream().findFirst());
    }

    /** The rows with their signatures, in the rows' order; inside a transaction. */
    private List<StoredCheckpoint> withProofs(List<CheckpointEntity> rows) {
        Map<Long, List<Signed<Checkpoint>>> proofs = new LinkedHashMap<>();
        Map<Long, Digest> digests = new LinkedHashMap<>();
        for (CheckpointEntity row : rows) {
            proofs.put(row.sequence(), new ArrayList<>());
            digests.put(row.sequence(), Digest.fromHex(row.stateDigest()));
        }
        if (!rows.isEmpty()) {
            for (CheckpointSignatureEntity s : signatures.findForSequences(proofs.keySet())) {
                proofs.get(s.sequence()).add(s.toSigned(digests.get(s.sequence())));
            }
        }
        List<StoredCheckpoint> out = new ArrayList<>(rows.size());
        for (CheckpointEntity row : rows) {
            out.add(new StoredCheckpoint(row.sequence(), digests.get(row.sequence()), row.blockHeight(),
                    row.created().toInstant(), proofs.get(row.sequence())));
        }
        return out;
    }
}
