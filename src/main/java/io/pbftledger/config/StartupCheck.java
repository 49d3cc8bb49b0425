package io.pbftledger.config;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.storage.FileConsensusJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Checks a replica's settings against each other and against the files they name, before the
 * replica does anything: the membership loads, {@code ledger.replica-id} is in it, the key file
 * holds that replica's key, the data directory is usable, the window is a multiple of the
 * checkpoint interval, the demo identities belong to the chain. The first problem found is a
 * {@link StartupCheckException} with one line naming the setting.
 */
public final class StartupCheck {
    private static final String FIX = "Correct the setting in the replica's yml file (or its --ledger.* override) and start the replica again.";

    private StartupCheck() {
    }

    /** What a replica needs to start, each piece checked against the others. */
    public record Verified(LedgerProperties properties, Membership membership, KeyFiles.ReplicaKey replicaKey,
                           List<ClientIdentity> demoIdentities) {
        public Verified {
            demoIdentities = List.copyOf(demoIdentities);
        }

        public int replicaId() {
            return replicaKey.replicaId();
        }
    }

    public static Verified verify(LedgerProperties p) {
        int replicaId = required("ledger.replica-id", p.replicaId());
        Path membershipFile = Path.of(required("ledger.membership-file", p.membershipFile()));
        Membership membership = loaded("ledger.membership-file", () -> MembershipFile.load(membershipFile));
        boolean genesisMember = replicaId < membership.n();
        if (!genesisMember && !p.join()) {
            throw fail("ledger.replica-id is " + replicaId + ", but " + membershipFile + " lists replicas 0.." + (membership.n() - 1)
                    + " (a replica that joins through a replica-set change sets ledger.join=true)");
        }
        if (replicaId >= io.pbftledger.chain.ReplicaRoster.REPLICAS_MAX) {
            throw fail("ledger.replica-id is " + replicaId + "; replica ids are 0.." + (io.pbftledger.chain.ReplicaRoster.REPLICAS_MAX - 1));
        }
        KeyFiles.ReplicaKey key = replicaKey(p, replicaId, genesisMember && !p.join() && !hasData(p) ? membership : null);
        checkDataDir(Path.of(required("ledger.data-dir", p.dataDir())));
        checkCheckpointInterval(p, membership, membershipFile);
        checkLimits(p);
        checkProposalQueue(p, membership.n());
        checkViewChangeSize(p, membership.n());
        checkPeerInFlight(p, membership.n());
        checkFaultInjection(p);
        return new Verified(p, membership, key, demoIdentities(p, membership));
    }

    /**
     * The demo signer holds client keys and signs for whoever reaches it, so demo mode is only for
     * one machine: it is refused together with TLS (a deployment) or when the replica listens on
     * anything but a loopback address ({@code server.address} unset means every interface).
     */
    public static void checkDemoExposure(boolean demoEnabled, boolean tlsEnabled, String serverAddress) {
        if (!demoEnabled) {
            return;
        }
        if (tlsEnabled) {
            throw fail("ledger.demo.enabled=true together with ledger.tls.enabled=true: the demo signer is for a "
                    + "local cluster on loopback; a TLS deployment must not run it");
        }
        boolean loopback;
        try {
            loopback = serverAddress != null && !serverAddress.isBlank()
                    && java.net.InetAddress.getByName(serverAddress.strip()).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            loopback = false;
        }
        if (!loopback) {
            throw fail("ledger.demo.enabled=true needs server.address on a loopback address (e.g. 127.0.0.1), but it is "
                    + (serverAddress == null || serverAddress.isBlank() ? "unset (every interface)" : serverAddress)
                    + ": the demo signer would sign for anyone on the network");
        }
    }

    /**
     * Closed reads need mutual TLS. Without it, the peer pages that replicas fetch blocks and
     * checkpoints from ({@code GET /pbft/**}) cannot tell a replica from anyone, and every answer to
     * an authenticated read crosses the network in clear text: reads would be closed to those who
     * ask, not to those who listen. {@code reads} is the raw {@code ledger.api.reads} value.
     */
    public static void checkClosedReads(String reads, boolean tlsEnabled) {
        if (tlsEnabled || reads == null || !reads.strip().equalsIgnoreCase("authenticated")) {
            return;
        }
        throw new StartupCheckException("ledger.api.reads=authenticated needs ledger.tls.enabled=true: without mutual "
                + "TLS the peer pages (GET /pbft/blocks, /pbft/checkpoint), which replicas fetch blocks from, cannot tell "
                + "a replica from anyone and would serve the whole chain, and every read's answer would cross the "
                + "network in clear text",
                "run the cluster with TLS (keygen --tls writes the settings), or set ledger.api.reads=open", null);
    }

    /**
     * Closed reads keep the actuator off the API port. Its metrics (and info) are served to anyone who
     * reaches its port, without the read checks of the API; with closed reads that port is the one
     * clients reach, so the actuator needs a port of its own ({@code management.server.port}), which
     * only monitoring reaches. Health stays: its probes ({@code /livez}, {@code /readyz}) tell the
     * state and nothing else.
     */
    public static void checkClosedReadsActuator(String reads, ActuatorOnApiPort actuator) {
        if (reads == null || !reads.strip().equalsIgnoreCase("authenticated") || actuator.endpoints().isEmpty()) {
            return;
        }
        throw new StartupCheckException("ledger.api.reads=authenticated needs the actuator on a port of its own: on the "
                + "API port (server.port) it would serve " + actuator.describe() + " to anyone, unauthenticated",
                "set management.server.port to a port that only your monitoring reaches (the Helm chart uses 9090; the "
                        + "probes /livez and /readyz stay on the API port), or serve only health there "
                        + "(management.endpoints.web.exposure.include=health)", null);
    }

    /**
     * Whether the data directory holds a replica's data already: its key is then checked against the
     * replica sets the stored chain made (a rotation may have replaced the membership file's key), once
     * the database is open.
     */
    private static boolean hasData(LedgerProperties p) {
        Path dataDir = Path.of(required("ledger.data-dir", p.dataDir()));
        try (java.util.stream.Stream<Path> entries = Files.isDirectory(dataDir) ? Files.list(dataDir) : java.util.stream.Stream.empty()) {
            return entries.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The replica key; checked against {@code membership}'s key for the replica unless that is null. */
    private static KeyFiles.ReplicaKey replicaKey(LedgerProperties p, int replicaId, Membership membership) {
        Path keyFile = Path.of(required("ledger.key-file", p.keyFile()));
        KeyFiles.ReplicaKey key = loaded("ledger.key-file", () -> KeyFiles.loadReplicaKey(keyFile));
        if (key.replicaId() != replicaId) {
            throw fail("ledger.key-file " + keyFile + " is the key of replica " + key.replicaId() + ", but ledger.replica-id is " + replicaId);
        }
        if (membership == null) {
            return key;
        }
        Ed25519.PublicKey expected = membership.replica(replicaId).publicKey();
        if (!key.publicKey().equals(expected)) {
            throw fail("ledger.key-file " + keyFile + " holds public key " + key.publicKey() + ", but the membership lists "
                    + expected + " for replica " + replicaId + " (keys from another keygen run?)");
        }
        return key;
    }

    private static void checkDataDir(Path dataDir) {
        if (Files.exists(dataDir)) {
            if (!Files.isDirectory(dataDir)) {
                throw fail("ledger.data-dir " + dataDir + " exists but is not a directory");
            }
            if (!Files.isWritable(dataDir)) {
                throw fail("ledger.data-dir " + dataDir + " is not writable");
            }
            return;
        }
        // it will be created: the nearest existing ancestor must let us do that
        Path ancestor = dataDir.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null || !Files.isDirectory(ancestor) || !Files.isWritable(ancestor)) {
            throw fail("ledger.data-dir " + dataDir + " does not exist and cannot be created (" + ancestor + " is not a writable directory)");
        }
    }

    /**
     * A membership file that fixes the checkpoint interval makes it part of the genesis: a replica with
     * another one would take replica-set changes into force at other sequences than its peers.
     */
    private static void checkCheckpointInterval(LedgerProperties p, Membership membership, Path membershipFile) {
        if (membership.fixesCheckpointInterval() && membership.checkpointInterval() != p.checkpointInterval()) {
            throw fail("ledger.checkpoint-interval is " + p.checkpointInterval() + ", but " + membershipFile
                    + " fixes checkpointInterval: " + membership.checkpointInterval()
                    + " for the whole chain; set ledger.checkpoint-interval=" + membership.checkpointInterval());
        }
    }

    private static void checkLimits(LedgerProperties p) {
        if (p.watermarkWindow() % p.checkpointInterval() != 0) {
            throw fail("ledger.watermark-window (" + p.watermarkWindow() + ") must be a multiple of ledger.checkpoint-interval ("
                    + p.checkpointInterval() + ")");
        }
        if (p.effectiveRejoinPeriodMs() < p.viewChangeTimeoutMs()) {
            throw fail("ledger.rejoin-period-ms (" + p.rejoinPeriodMs() + ") must be 0 (16 × ledger.view-change-timeout-ms)"
                    + " or at least ledger.view-change-timeout-ms (" + p.viewChangeTimeoutMs() + ")");
        }
        if (p.batch().maxBytes() < Transaction.WIRE_MAX_BYTES) {
            throw fail("ledger.batch.max-bytes (" + p.batch().maxBytes() + ") is smaller than the largest transaction ("
                    + Transaction.WIRE_MAX_BYTES + " bytes), which could then never be ordered");
        }
    }

    /**
     * Most bytes a peer endpoint may be asked to accept in one request: a byte array's limit, halved.
     * It is also the consensus journal's record limit, so every message these settings allow can be journalled.
     */
    static final long PEER_BODY_CEILING = FileConsensusJournal.RECORD_MAX_BYTES;

    /**
     * The peer endpoint accepts the largest view change the protocol can produce
     * ({@link PeerBodyLimit}); settings under which that would exceed 1 GiB are refused.
     */
    private static void checkViewChangeSize(LedgerProperties p, int n) {
        long bytes = PeerBodyLimit.bytes(p, n);
        if (bytes > PEER_BODY_CEILING) {
            throw fail("ledger.watermark-window (" + p.watermarkWindow() + ") × ledger.batch.max-transactions ("
                    + p.batch().maxTransactions() + ") is too large for " + n + " replicas: a view change could need "
                    + bytes + " bytes in one message, above the " + PEER_BODY_CEILING + " a peer accepts; lower one of them");
        }
    }

    /** A bound over all peers below one peer's own would refuse that peer's largest view change for good. */
    private static void checkPeerInFlight(LedgerProperties p, int n) {
        long configured = p.peer().inFlightMaxBytes();
        long onePeer = PeerBodyLimit.limits(p, n).inFlightPerPeer();
        if (configured > 0 && configured < onePeer) {
            throw fail("ledger.peer.in-flight-max-bytes (" + configured + ") is below the " + onePeer + " bytes one replica "
                    + "may have in flight at once (its largest view change and batch for these settings): a view change "
                    + "could never be delivered; raise it, or set 0 for f+1 times that");
        }
    }

    /**
     * The primary must be able to queue every request that all n replicas may have accepted, or it
     * would have to drop a request some honest replica promised to keep.
     */
    private static void checkProposalQueue(LedgerProperties p, int n) {
        LedgerProperties.Mempool mempool = p.mempool();
        Integer configured = mempool.proposalQueueMaxRequests();
        if (configured != null && configured < mempool.honestForwardBound(n)) {
            throw fail("ledger.mempool.proposal-queue-max-requests (" + configured + ") is below n × "
                    + "ledger.mempool.max-transactions (" + n + " × " + mempool.maxTransactions() + " = "
                    + mempool.honestForwardBound(n) + "): the primary could then drop transactions that "
                    + "replicas accepted; raise it or leave it unset");
        }
        if (mempool.honestForwardBound(n) > Integer.MAX_VALUE / 2) {
            throw fail("n × ledger.mempool.max-transactions (" + n + " × " + mempool.maxTransactions()
                    + ") is above " + Integer.MAX_VALUE / 2 + " requests; lower ledger.mempool.max-transactions");
        }
    }

    private static List<ClientIdentity> demoIdentities(LedgerProperties p, Membership membership) {
        if (!p.demo().enabled()) {
            return List.of();
        }
        Path dir = Path.of(required("ledger.demo.identities-dir", p.demo().identitiesDir()));
        List<ClientIdentity> identities = loaded("ledger.demo.identities-dir", () -> KeyFiles.loadClientIdentities(dir));
        for (ClientIdentity identity : identities) {
            if (!identity.chainId().equals(membership.chainId())) {
                throw fail("ledger.demo.identities-dir: client " + identity.clientId() + " belongs to chain " + identity.chainId()
                        + ", not " + membership.chainId());
            }
            Optional<Membership.Client> member = membership.client(identity.clientId());
            if (member.isEmpty() || !member.get().publicKey().equals(identity.privateKey().publicKey())) {
                throw fail("ledger.demo.identities-dir: client " + identity.clientId() + " is not in the membership with that key");
            }
        }
        return identities;
    }

    private static <T> T required(String property, T value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw fail(property + " is not set");
        }
        return value;
    }

    private static <T> T loaded(String property, java.util.function.Supplier<T> loader) {
        try {
            return loader.get();
        } catch (MembershipFileException e) {
            throw new StartupCheckException(property + ": " + e.getMessage(), FIX, e);
        }
    }

    private static void checkFaultInjection(LedgerProperties p) {
        LedgerProperties.FaultInjection fi = p.faultInjection();
        try {
            if (fi.faultMode().isPresent() && !fi.enabled()) {
                throw fail("ledger.fault-injection.mode is '" + fi.mode() + "', but ledger.fault-injection.enabled is not "
                        + "true; a replica misbehaves only when both are set");
            }
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    private static StartupCheckException fail(String message) {
        return new StartupCheckException(message, FIX, null);
    }
}
