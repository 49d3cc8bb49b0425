package io.pbftledger.node;

/** Result of re-verifying the stored chain: valid, its height, how many blocks were checked, the first problem. */
public record ChainCheck(boolean valid, long height, long checkedBlocks, Long firstBadHeight, String problem) {
}
