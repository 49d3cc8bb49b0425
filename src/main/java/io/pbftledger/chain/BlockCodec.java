package io.pbftledger.chain;

import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary encoding of whole blocks for state transfer between replicas:
 * <pre>
 *   page  = "PBFT-BLOCKS" | u8 version 2 | u32 count | count x block
 *   block = header canonical bytes (see BlockHeader) | u64 view | u32 primary | u32 txCount | txCount x (u32 length | tx wire bytes)
 *           | u32 sigCount | sigCount x (u32 replica | 64-byte signature)
 * </pre>
 * The certificate's COMMITs are rebuilt from the header (view, sequence, batchDigest). Decoding is
 * strict and bounded; nothing decoded is trusted until {@link ChainVerifier} checked it.
 */
public final class BlockCodec {
    private static final String MAGIC = "PBFT-BLOCKS";
    private static final int VERSION = 2;
    private static final int HEADER_BYTES = 10 + 1 + 8 + 32 + 8 + 8 + 32 + 32 + 32 + 4 + 8 + 4;

    private BlockCodec() {
    }

    public static byte[] encode(List<Block> blocks) {
        CanonicalWriter w = new CanonicalWriter(1024).ascii(MAGIC).u8(VERSION).u32(blocks.size());
        for (Block block : blocks) {
            BlockHeader h = block.header();
            w.raw(h.canonicalBytes()).u64(h.view()).u32(h.primary()).u32(block.transactions().size());
            for (Transaction tx : block.transactions()) {
                byte[] wire = tx.wireBytes();
                w.u32(wire.length).raw(wire);
            }
            w.u32(block.certificate().size());
            for (Signed<Commit> s : block.certificate()) {
                w.u32(s.message().replica()).raw(s.signature());
            }
        }
        return w.toByteArray();
    }

    /**
     * @param maxBlocks       most blocks a page may hold
     * @param maxTransactions most transactions one block may hold
     */
    public static List<Block> decode(byte[] bytes, int maxBlocks, int maxTransactions) {
        CanonicalReader r = new CanonicalReader(bytes);
        r.expectAscii(MAGIC);
        if (r.u8() != VERSION) {
            throw LedgerException.invalid("unsupported block page version");
        }
        long count = r.u32();
        if (count > maxBlocks) {
            throw LedgerException.invalid("page of " + count + " blocks exceeds " + maxBlocks);
        }
        List<Block> blocks = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            BlockHeader header = header(r);
            long txCount = r.u32();
            if (txCount > maxTransactions || txCount != header.transactionCount()) {
                throw LedgerException.invalid("block " + header.height() + " carries " + txCount + " transactions");
            }
            List<Transaction> txs = new ArrayList<>((int) txCount);
            for (int t = 0; t < txCount; t++) {
                long length = r.u32();
                if (length > Transaction.WIRE_MAX_BYTES) {
                    throw LedgerException.invalid("transaction of " + length + " bytes");
                }
                txs.add(Transaction.fromWire(r.take((int) length)));
            }
            long sigCount = r.u32();
            if (sigCount > 1024) {
                throw LedgerException.invalid("certificate of " + sigCount + " signatures");
            }
            List<Signed<Commit>> cert = new ArrayList<>((int) sigCount);
            for (int s = 0; s < sigCount; s++) {
                long replica = r.u32();
                if (replica > Integer.MAX_VALUE) {
                    throw LedgerException.invalid("replica id out of range");
                }
                Commit commit = new Commit((int) replica, header.view(), header.sequence(), header.batchDigest());
                cert.add(new Signed<>(commit, r.take(64)));
            }
            blocks.add(Block.of(header, txs, cert));
        }
        r.expectEnd();
        return blocks;
    }

    private static BlockHeader header(CanonicalReader r) {
        int start = r.position();
        r.expectAscii(BlockHeader.MAGIC);
        if (r.u8() != BlockHeader.VERSION) {
            throw LedgerException.invalid("unsupported block header version");
        }
        long height = r.u64();
        Digest previous = new Digest(r.take(32));
        long timestamp = r.u64();
        long sequence = r.u64();
        Digest batchDigest = new Digest(r.take(32));
        Digest root = new Digest(r.take(32));
        Digest state = new Digest(r.take(32));
        long txCount = r.u32();
        long view = r.u64();
        long primary = r.u32();
        if (r.position() - start != HEADER_BYTES || primary > Integer.MAX_VALUE || txCount > Integer.MAX_VALUE
                || height < 0 || timestamp < 0 || view < 0 || sequence < 0) {
            throw LedgerException.invalid("malformed block header");
        }
        return new BlockHeader(height, previous, timestamp, view, sequence, (int) primary, batchDigest, root, state,
                (int) txCount);
    }
}
