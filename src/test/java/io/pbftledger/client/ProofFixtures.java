package io.pbftledger.client;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/** Blocks exactly as replicas build them: executed from genesis, with a real commit certificate. */
public final class ProofFixtures {
    public static final long VIEW = 0;
    public static final long TIMESTAMP_MS = 1_767_225_600_000L;

    private ProofFixtures() {
    }

    /**
     * Block 1 holding {@code transactions}, committed at sequence 1 with COMMITs signed by the replicas
     * {@code signers} (indexes into {@code replicaKeys}).
     */
    public static Block firstBlock(Membership membership, List<Ed25519.PrivateKey> replicaKeys, List<Transaction> transactions,
                                   int... signers) {
        List<ClientRequest> requests = transactions.stream().map(Transaction::toRequest).toList();
        Digest batchDigest = BatchDigest.ofRequests(TIMESTAMP_MS, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica : signers) {
            Commit commit = new Commit(replica, VIEW, 1, batchDigest);
            certificate.add(new Signed<>(commit, replicaKeys.get(replica).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), commit))));
        }
        OrderedBatch batch = new OrderedBatch(VIEW, 1, TIMESTAMP_MS, 0, batchDigest,
                requests, certificate);
        return BlockExecutor.execute(Genesis.of(membership).header(), batch).block();
    }
}
