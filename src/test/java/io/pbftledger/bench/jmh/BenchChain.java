package io.pbftledger.bench.jmh;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ExecutedBlock;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Executed blocks shaped like the bench command's load, for storage benchmarks: 256-byte payloads,
 * each transaction writing one of 1,024 state keys, 16 clients, nonces never repeated. The client
 * signatures and the three COMMIT signatures are SHA-256 stand-ins of the right length: the store
 * keeps them and checks neither, and real Ed25519 signing would dominate the benchmark's setup.
 */
final class BenchChain {
    static final int CLIENTS = 16;
    static final int STATE_KEYS = 1024;
    private static final int REPLICAS = 4;
    private static final long FIRST_TIMESTAMP_MS = 1_700_000_000_000L;

    private final Block genesis;
    private long transactionsMade;

    BenchChain() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < REPLICAS; i++) {
            byte[] seed = new byte[Ed25519.KEY_BYTES];
            Arrays.fill(seed, (byte) (i + 1));
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (18080 + i),
                    Ed25519.PrivateKey.fromSeed(seed).publicKey()));
        }
        genesis = Genesis.of(new Membership(Fixtures.CHAIN_ID, replicas, List.of()));
    }

    Block genesis() {
        return genesis;
    }

    /** The block of {@code transactions} new transactions on top of {@code previous}. */
    ExecutedBlock next(BlockHeader previous, int transactions) {
        List<ClientRequest> requests = new ArrayList<>(transactions);
        for (int i = 0; i < transactions; i++) {
            requests.add(transaction(transactionsMade++).toRequest());
        }
        long sequence = previous.sequence() + 1;
        long timestamp = FIRST_TIMESTAMP_MS + sequence;
        Digest batchDigest = BatchDigest.ofRequests(timestamp, requests);
        List<Signed<Commit>> certificate = new ArrayList<>();
        for (int replica = 0; replica < 3; replica++) {
            Commit commit = new Commit(replica, 0, sequence, batchDigest);
            certificate.add(new Signed<>(commit, Fixtures.fakeSignature(replica, batchDigest.bytes())));
        }
        ExecutedBlock block = BlockExecutor.execute(previous,
                new OrderedBatch(0, sequence, timestamp, 0, batchDigest, requests, certificate));
        if (block.writes().size() != transactions || !block.skipped().isEmpty()) {
            throw new IllegalStateException("every transaction of a bench block writes state");
        }
        return block;
    }

    /** {@code blocks} consecutive blocks of {@code transactions} each, the first on top of {@code previous}. */
    List<ExecutedBlock> next(BlockHeader previous, int blocks, int transactions) {
        List<ExecutedBlock> out = new ArrayList<>(blocks);
        BlockHeader tip = previous;
        for (int i = 0; i < blocks; i++) {
            ExecutedBlock block = next(tip, transactions);
            out.add(block);
            tip = block.block().header();
        }
        return out;
    }

    private static Transaction transaction(long index) {
        String clientId = "client-" + (index % CLIENTS);
        String key = "bench." + (index % STATE_KEYS);
        String payload = Fixtures.payload();
        Transaction unsigned = new Transaction(Fixtures.CHAIN_ID, clientId, index, key, payload, new byte[64]);
        return new Transaction(Fixtures.CHAIN_ID, clientId, index, key, payload,
                Fixtures.fakeSignature(0, unsigned.signingBytes()));
    }
}
