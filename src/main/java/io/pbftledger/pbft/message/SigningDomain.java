package io.pbftledger.pbft.message;

import java.util.Objects;

/**
 * The chain a replica's signature is for: the hash of the chain's genesis block, which binds its
 * chain id and its replicas' ids and public keys. The signing bytes of every replica message start
 * with it ({@link MessageCodec#signingBytes}), so a message signed for one chain never verifies on
 * another, even where both run a replica with the same key (a staging copy of production).
 */
public record SigningDomain(Digest genesisHash) {
    public SigningDomain {
        Objects.requireNonNull(genesisHash, "genesisHash");
    }
}
