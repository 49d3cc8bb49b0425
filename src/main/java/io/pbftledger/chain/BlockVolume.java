package io.pbftledger.chain;

/**
 * How much one stored block holds, known without loading it: its transactions and the characters
 * of their payloads (a payload is canonical JSON, ASCII but for escapes, so about its bytes).
 */
public record BlockVolume(long transactions, long payloadChars) {
    public BlockVolume {
        if (transactions < 0 || payloadChars < 0) {
            throw new IllegalArgumentException("a block volume is never negative");
        }
    }

    /** The volume of {@code block}, counted from its transactions. */
    public static BlockVolume of(Block block) {
        long chars = 0;
        for (Transaction tx : block.transactions()) {
            chars += tx.payload().length();
        }
        return new BlockVolume(block.transactions().size(), chars);
    }
}
