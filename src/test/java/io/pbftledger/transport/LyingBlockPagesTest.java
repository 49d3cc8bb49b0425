package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockExecutor;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.OrderedBatch;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.StateEntry;
import io.pbftledger.chain.Transaction;
import io.pbftledger.chain.TransactionRecord;
import io.pbftledger.config.LedgerProperties;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.StateTransfer;
import io.pbftledger.pbft.fault.FaultMode;
import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault mode lying-state-transfer: a consistent chain with one committed block left out, every block valid on its own. */
class LyingBlockPagesTest {
    private static final int HEIGHT = 12;

    private Membership membership;
    private Block genesis;
    private final List<Block> chain = new ArrayList<>();
    private LyingBlockPages liar;

    @BeforeEach
    void storedChainOfTwelveBlocks() {
        SecureRandom random = new SecureRandom();
        List<Ed25519.PrivateKey> replicaKeys = new ArrayList<>();
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Ed25519.PrivateKey k = Ed25519.PrivateKey.generate(random);
            replicaKeys.add(k);
            replicas.add(new Membership.Replica(i, "http://127.0.0.1:" + (9000 + i), k.publicKey()));
        }
        Ed25519.PrivateKey clientKey = Ed25519.PrivateKey.generate(random);
        membership = new Membership("lying", replicas,
                List.of(new Membership.Client("alice", clientKey.publicKey(), EnumSet.of(Role.SUBMIT))));
        genesis = Genesis.of(membership);
        BlockHeader previous = genesis.header();
        for (long seq = 1; seq <= HEIGHT; seq++) {
            Transaction tx = Transaction.sign("lying", "alice", seq, "k" + seq, "{\"seq\":" + seq + "}", clientKey);
            Digest digest = BatchDigest.of(1000 + seq, List.of(tx.requestId()));
            List<Signed<Commit>> cert = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                Commit c = new Commit(r, 0, seq, digest);
                cert.add(new Signed<>(c, replicaKeys.get(r).sign(MessageCodec.signingBytes(Genesis.signingDomain(membership), c))));
            }
            Block block = BlockExecutor.execute(previous, new OrderedBatch(0, seq, 1000 + seq, 0, digest,
                    List.of(tx.toRequest()), cert)).block();
            chain.add(block);
            previous = block.header();
        }
        ClientMembership clients = ClientMembership.genesis(membership);
        liar = new LyingBlockPages(membership, new StoredChain(), height -> clients,
                (clientId, nonce, height) -> clientId.equals("alice") && nonce <= height);
    }

    @Test
    void pagesLeaveOutTheFirstBlockAskedForAndEveryLaterBlockStillVerifiesOnItsOwn() {
        List<Block> served = new ArrayList<>(chain.subList(0, 4)); // the asking replica holds 1..4
        served.addAll(liar.blocksBetween(5, 8));
        served.addAll(liar.blocksBetween(9, 20)); // the next page continues the same lying chain

        assertThat(served).extracting(Block::height)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, HEIGHT - 1).boxed().toList());
        assertThat(served).extracting(b -> b.header().sequence()).doesNotContain(5L).contains(6L, (long) HEIGHT);
        assertThat(served.get(4).hash()).isNotEqualTo(chain.get(4).hash());
        ChainVerifier verifier = new ChainVerifier(membership);
        BlockHeader previous = genesis.header();
        for (Block block : served) {
            assertThat(verifier.problem(previous, block)).as("block %d", block.height()).isEmpty();
            previous = block.header();
        }
    }

    @Test
    void aPageThatDoesNotContinueTheLastIsCutFromTheSameLyingChain() {
        List<Block> whole = liar.blocksBetween(3, 20);
        List<Block> again = liar.blocksBetween(7, 9);
        assertThat(again).extracting(Block::hash).containsExactlyElementsOf(
                whole.subList(4, 7).stream().map(Block::hash).toList());
    }

    @Test
    void theModeIsConfiguredAsLyingStateTransferAndLeavesConsensusMessagesAlone() {
        LedgerProperties.FaultInjection fi = new LedgerProperties.FaultInjection(true, "lying-state-transfer", 0, null);
        assertThat(fi.faultMode()).contains(FaultMode.LYING_STATE_TRANSFER);
        assertThat(FaultMode.LYING_STATE_TRANSFER.rewritesMessages()).isFalse();
    }

    /** The stored chain, as the replica's store answers it. */
    private final class StoredChain implements LedgerQueries {
        @Override
        public Optional<Block> blockByHeight(long height) {
            return height == 0 ? Optional.of(genesis)
                    : height <= chain.size() ? Optional.of(chain.get((int) height - 1)) : Optional.empty();
        }

        @Override
        public List<Block> blocksBetween(long fromHeight, long toHeight) {
            List<Block> out = new ArrayList<>();
            for (long h = fromHeight; h <= toHeight; h++) {
                blockByHeight(h).ifPresent(out::add);
            }
            return out;
        }

        @Override
        public Optional<Block> blockByHash(Digest hash) {
            return chain.stream().filter(b -> b.hash().equals(hash)).findFirst();
        }

        @Override
        public List<BlockHeader> headersBefore(long beforeHeight, int limit) {
            return List.of();
        }

        @Override
        public Optional<TransactionRecord> transaction(Digest txId) {
            return Optional.empty();
        }

        @Override
        public List<TransactionRecord> blockTransactions(long height) {
            return List.of();
        }

        @Override
        public List<Integer> skippedInBlock(long height) {
            return List.of();
        }

        @Override
        public Optional<StateEntry> state(String key) {
            return Optional.empty();
        }

        @Override
        public List<StateEntry> stateHistory(String key, int limit) {
            return List.of();
        }
    }
}
