package io.pbftledger.cli;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.BlockCodec;
import io.pbftledger.chain.BlockHeader;
import io.pbftledger.chain.ChainVerifier;
import io.pbftledger.chain.PriorExecution;
import io.pbftledger.chain.ScannedPairs;
import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.LedgerException;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.config.MembershipFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code verify}: audits a replica's chain offline against the membership's keys alone: the genesis
 * block, every hash link, Merkle root, batch digest, state hash, client signature and commit
 * certificate (a quorum of distinct valid signatures of the replica set in force at the block's
 * sequence, followed from the membership file through the ordered replica-set changes). Exit 0 only
 * when everything checks.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Audits a replica's chain against the membership keys: hash links, Merkle roots, state hashes,",
                "client signatures and every commit certificate. Exit 0 only when everything checks;",
                "otherwise prints the first bad block and exits 1."})
final class VerifyCommand implements Callable<Integer> {
    private static final int PAGE_BLOCKS = 100;
    private static final long PAGE_MAX_BYTES = 64L << 20;
    private static final int BLOCK_MAX_TRANSACTIONS = 100_000;

    @Spec
    private CommandSpec spec;

    @Option(names = "--membership", paramLabel = "FILE", required = true, description = "membership.yml of the cluster.")
    private Path membershipFile;

    @Option(names = "--node", paramLabel = "URL", required = true, description = "Base URL of the replica to audit.")
    private String node;

    @Option(names = "--from", paramLabel = "H", defaultValue = "1", description = "First height to check (default 1).")
    private long from;

    @Option(names = "--to", paramLabel = "H", description = "Last height to check (default: the replica's newest block).")
    private Long to;

    @Option(names = "--checkpoint-interval", paramLabel = "K",
            description = {"The cluster's ledger.checkpoint-interval (default: the membership file's checkpointInterval, "
                    + "else 100; a value other than the file's is bad usage): a replica-set change "
                    + "takes effect after the first checkpoint at or above its block, and each block's certificate is "
                    + "checked against the replica set in force at its sequence, derived from the membership file by "
                    + "the ordered changes. With --from above 1 the starting block is judged by the membership file's "
                    + "replicas: start at 1 on a chain whose replica set changed."})
    private Long checkpointInterval;

    @Mixin
    private TlsOptions tls = new TlsOptions();

    private HttpClient http;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (from < 1 || (to != null && to < from)) {
            throw new CliException("--from must be >= 1 and --to >= --from");
        }
        if (checkpointInterval != null && (checkpointInterval < 1 || checkpointInterval > Membership.CHECKPOINT_INTERVAL_MAX)) {
            throw new CliException("--checkpoint-interval must be between 1 and " + Membership.CHECKPOINT_INTERVAL_MAX
                    + ", got " + checkpointInterval, CliErrors.EXIT_USAGE);
        }
        Membership membership = MembershipFile.load(membershipFile);
        if (checkpointInterval != null && membership.fixesCheckpointInterval()
                && checkpointInterval != membership.checkpointInterval()) {
            throw new CliException("--checkpoint-interval is " + checkpointInterval + ", but " + membershipFile
                    + " fixes checkpointInterval: " + membership.checkpointInterval(), CliErrors.EXIT_USAGE);
        }
        long interval = checkpointInterval != null ? checkpointInterval
                : membership.checkpointIntervalOr(ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL);
        http = LedgerHttp.client(tls.sslContext(membershipFile), Duration.ofSeconds(5));
        ChainVerifier verifier = new ChainVerifier(membership, interval);
        PrintWriter out = spec.commandLine().getOut();
        BlockHeader previous = startingPoint(membership, verifier);
        long checked = 0;
        long height = from;
        // Transactions re-ordered after a view change are skipped at execution when their (clientId,
        // nonce) ran before; the walk knows the pairs from --from on (start at 1 for a full audit).
        ScannedPairs prior = new ScannedPairs(PriorExecution.NONE);
        while (to == null || height <= to) {
            List<Block> page = fetch(height, (int) Math.min(PAGE_BLOCKS, to == null ? PAGE_BLOCKS : to - height + 1));
            if (page.isEmpty()) {
                break;
            }
            for (Block block : page) {
                Optional<String> problem = verifier.problem(previous, block, prior);
                if (problem.isPresent()) {
                    out.println("INVALID block " + block.height() + ": " + problem.get());
                    out.println("checked " + checked + " blocks before it (heights " + from + ".." + (block.height() - 1) + ")");
                    out.flush();
                    return CliErrors.EXIT_FAILURE;
                }
                prior.passed(block);
                previous = block.header();
                checked++;
            }
            height = previous.height() + 1;
        }
        if (to != null && previous.height() < to) {
            throw new CliException("the replica's chain ends at height " + previous.height() + ", before --to " + to);
        }
        out.println("OK: " + checked + " blocks verified (heights " + from + ".." + previous.height() + "), last hash "
                + previous.hash().hex());
        out.flush();
        return 0;
    }

    /** The header the first checked block must follow: the derived genesis, or a certified block. */
    private BlockHeader startingPoint(Membership membership, ChainVerifier verifier) throws IOException, InterruptedException {
        Block genesis = Genesis.of(membership);
        List<Block> first = fetch(from - 1, 1);
        if (first.isEmpty()) {
            throw new CliException("the replica has no block " + (from - 1));
        }
        Block start = first.get(0);
        if (from == 1) {
            if (!start.hash().equals(genesis.hash())) {
                throw new CliException("INVALID: the replica's genesis block is not this membership's");
            }
            return start.header();
        }
        Optional<String> problem = verifier.certificateProblem(start.header(), start.certificate());
        if (problem.isPresent()) {
            throw new CliException("INVALID block " + start.height() + ": " + problem.get());
        }
        return start.header();
    }

    private List<Block> fetch(long fromHeight, int limit) throws IOException, InterruptedException {
        String base = node.endsWith("/") ? node.substring(0, node.length() - 1) : node;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/pbft/blocks?from=" + fromHeight + "&limit=" + limit))
                .timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CliException("cannot reach " + node + ": " + e.getMessage());
        }
        if (response.statusCode() != 200) {
            throw new CliException(node + " answered HTTP " + response.statusCode() + " for blocks from " + fromHeight);
        }
        if (response.body().length > PAGE_MAX_BYTES) {
            throw new CliException(node + " sent a page over " + PAGE_MAX_BYTES + " bytes");
        }
        try {
            return BlockCodec.decode(response.body(), limit, BLOCK_MAX_TRANSACTIONS);
        } catch (LedgerException e) {
            throw new CliException("INVALID: " + node + " sent malformed blocks from height " + fromHeight + ": " + e.getMessage());
        }
    }
}
