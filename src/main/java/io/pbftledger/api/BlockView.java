package io.pbftledger.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Signed;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A block header with its hash and, for single-block answers, its commit certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Block")
public record BlockView(
        long height,
        String hash,
        String previousHash,
        @Schema(description = "Primary's batch timestamp, milliseconds since the epoch") long timestamp,
        long view,
        long sequence,
        int primary,
        String batchDigest,
        @Schema(description = "RFC 6962 Merkle root over the transactions' txIds") String transactionsRoot,
        String stateHash,
        int transactionCount,
        @Schema(description = "2f+1 signed COMMITs for (view, sequence, batchDigest); omitted in lists", nullable = true)
        List<CertificateEntry> certificate) {

    /** One replica's COMMIT signature over (view, sequence, batchDigest) of this block. */
    @Schema(name = "CertificateEntry")
    public record CertificateEntry(int replica, @Schema(description = "Base64 Ed25519 signature") String signature) {
    }

    static BlockView summary(BlockHeader header) {
        return of(header, null);
    }

    static BlockView full(Block block) {
        List<CertificateEntry> entries = new ArrayList<>(block.certificate().size());
        for (Signed<Commit> commit : block.certificate()) {
            entries.add(new CertificateEntry(commit.message().replica(),
                    Base64.getEncoder().encodeToString(commit.signature())));
        }
        return of(block.header(), List.copyOf(entries));
    }

    private static BlockView of(BlockHeader h, List<CertificateEntry> certificate) {
        return new BlockView(h.height(), h.hash().hex(), h.previousHash().hex(), h.timestamp(), h.view(), h.sequence(),
                h.primary(), h.batchDigest().hex(), h.transactionsRoot().hex(), h.stateHash().hex(),
                h.transactionCount(), certificate);
    }
}
