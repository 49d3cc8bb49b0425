package io.pbftledger.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.BlockVolume;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.CheckpointStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.ResponseEntity;

/**
 * {@code GET /pbft/blocks?limit=100} is cut by size before blocks are loaded: only the blocks that
 * fit the page's byte budget are ever read from the store, however many the limit names.
 */
class PeerStatePagesBySizeTest {
    private static final Block GENESIS = Genesis.of(new Membership("pages", replicas(), List.of()));
    /** Blocks 1..1000 of 100 transactions each; remembers every range of blocks it was asked to load. */
    private static class Recording implements PeerBlockPages {
        final List<List<Long>> loaded = Collections.synchronizedList(new ArrayList<>());
        /** Payload characters of each block. */
        final long blockChars;

        Recording(long blockChars) {
            this.blockChars = blockChars;
        }

        @Override
        public List<Block> blocksBetween(long fromHeight, long toHeight) {
            loaded.add(List.of(fromHeight, toHeight));
            List<Block> out = new ArrayList<>();
            for (long h = fromHeight; h <= toHeight; h++) {
                out.add(GENESIS); // the bytes do not matter here, only what was loaded
            }
            return out;
        }

        @Override
        public SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
            SortedMap<Long, BlockVolume> out = new TreeMap<>();
            for (long h = Math.max(1, fromHeight); h <= Math.min(1000, toHeight); h++) {
                out.put(h, new BlockVolume(100, blockChars));
            }
            return out;
        }
    }

    private static List<Membership.Replica> replicas() {
        List<Membership.Replica> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(new Membership.Replica(i, "http://127.0.0.1:" + (9100 + i),
                    Ed25519.PrivateKey.generate(new SecureRandom()).publicKey()));
        }
        return out;
    }

    private static PeerStateController controller(PeerBlockPages pages) {
        return new PeerStateController(Mockito.mock(LedgerQueries.class), Mockito.mock(CheckpointStore.class),
                new StaticListableBeanFactory(Map.of("pages", pages)).getBeanProvider(PeerBlockPages.class));
    }

    @Test
    void aPageOfAHundredLargeBlocksLoadsOnlyThoseThatFitTheByteBudget() {
        Recording pages = new Recording(6L << 20);

        ResponseEntity<?> page = controller(pages).blocks(10, 100);

        // 6 MiB + 100 x 256 bytes each: two fit 16 MiB, a third would not
        assertThat(pages.loaded).as("ranges loaded").containsExactly(List.of(10L, 11L));
        assertThat(page.getStatusCode().value()).isEqualTo(200);
        assertThat(BlockCodec.decode((byte[]) page.getBody(), 100, 1_000)).hasSize(2);
    }

    @Test
    void aBlockLargerThanTheBudgetIsStillServedAlone() {
        Recording pages = new Recording(0) {
            @Override
            public SortedMap<Long, BlockVolume> volumesBetween(long fromHeight, long toHeight) {
                SortedMap<Long, BlockVolume> out = new TreeMap<>();
                out.put(fromHeight, new BlockVolume(1, PeerStateController.PAGE_MAX_BYTES * 2));
                return out;
            }
        };

        controller(pages).blocks(5, 100);

        assertThat(pages.loaded).containsExactly(List.of(5L, 5L));
    }

    @Test
    void smallBlocksFillThePageUpToItsLimitAndHeightsBeyondTheTipCostNothing() {
        Recording pages = new Recording(1_000);

        controller(pages).blocks(1, 100);
        controller(pages).blocks(950, 100);

        assertThat(pages.loaded).containsExactly(List.of(1L, 100L), List.of(950L, 1049L));
    }

    @Test
    void theStoredBlocksAreSizedFromTheStoreWithoutLoadingThem() {
        LedgerQueries queries = Mockito.mock(LedgerQueries.class);
        SortedMap<Long, BlockVolume> volumes = new TreeMap<>(Map.of(1L, new BlockVolume(2, 10)));
        Mockito.when(queries.volumesBetween(1, 3)).thenReturn(volumes);

        assertThat(PeerBlockPages.stored(queries).volumesBetween(1, 3)).isEqualTo(volumes);
        Mockito.verify(queries, Mockito.never()).blocksBetween(Mockito.anyLong(), Mockito.anyLong());
    }
}
