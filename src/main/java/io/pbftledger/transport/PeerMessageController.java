package io.pbftledger.transport;

import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
import io.pbftledger.node.PeerBudget;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.web.ProblemType;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pbft/messages}: signed replica messages, several per request, in the binary wire
 * encoding of {@link MessageCodec}.
 *
 * <p>The sender is authenticated before any of the body is read ({@link PeerRequestAuthenticator}:
 * a replica's certificate with mutual TLS, else its signed headers), so a caller that is not a
 * replica makes this replica hold nothing of its body. The body may then be as large as the kind it
 * declares allows ({@link PeerBodyLimits}: only view-change traffic gets the large limit), and each
 * replica may have only so many body bytes in flight here at once, and all of them together only
 * {@code ledger.peer.in-flight-max-bytes} ({@link PeerInFlightBytes}); a body is checked against its
 * signed digest, and must hold a message of the kind it declared. Refusals are problem+json: 400,
 * 401, 411, 413, 429 (this replica's own bound) or 503 (the bound over all peers), both with
 * Retry-After. The API's body budget ({@code ledger.api.in-flight-body-max-bytes}) is a separate one:
 * clients cannot crowd out peers, nor peers clients.
 *
 * <p>Each message is then authenticated by its own signature before it reaches the consensus
 * thread; a forged, malformed or unknown-sender message is dropped and counted, never fatal. Each
 * peer's bytes and messages are charged to its {@link PeerBudget} first: what is over it is dropped
 * and counted before any signature check.
 * Not part of the public API document.
 */
@Hidden
@RestController
public class PeerMessageController {
    static final String IN_FLIGHT_PROPERTY = "ledger.peer.in-flight-max-bytes";

    private final InboundVerifier verifier;
    private final ReplicaDriver driver;
    private final DropCounters drops;
    private final HttpPeerOutbox outbox;
    private final PeerLimits peerLimits;
    private final PeerTraffic traffic;
    private final PeerBudget budget;
    private final PeerRequestAuthenticator authenticator;
    private final PeerInFlightBytes inFlight;

    public PeerMessageController(InboundVerifier verifier, ReplicaDriver driver, DropCounters drops,
                                 HttpPeerOutbox outbox, PeerLimits peerLimits, PeerTraffic traffic,
                                 ObjectProvider<PeerBudget> budget, PeerRequestAuthenticator authenticator) {
        this.budget = budget.getIfAvailable(PeerBudget::unlimited);
        this.verifier = verifier;
        this.driver = driver;
        this.drops = drops;
        this.outbox = outbox;
        this.peerLimits = peerLimits;
        this.traffic = traffic;
        this.authenticator = authenticator;
        this.inFlight = new PeerInFlightBytes(authenticator.replicas(), () -> peerLimits.bodies().inFlightPerPeer(),
                () -> peerLimits.current().inFlightAllPeers());
    }

    @PostMapping(path = PeerChannel.PATH, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        PeerRequestAuthenticator.Verdict verdict = authenticator.authenticate(request);
        if (verdict.refusal() != null) {
            return refuse(verdict.refusal(), true);
        }
        PeerRequestAuthenticator.Sender sender = verdict.sender();
        PeerEndpointLimits limits = peerLimits.current();
        long limit = limits.bodies().forKind(sender.kind());
        long declared = sender.declaredLength();
        if (declared > limit) {
            return refuse(PeerRefusal.of(ProblemType.PAYLOAD_TOO_LARGE, "a " + sender.kind().header()
                    + " request carries at most " + limit + " bytes; this one declares " + declared,
                    PeerRefusal.OVERSIZED_BODY), true);
        }
        long reserved = declared >= 0 ? declared : limit;
        PeerInFlightBytes.Reservation reservation = inFlight.reserve(sender.sender(), reserved);
        if (reservation == PeerInFlightBytes.Reservation.OVER_PEER) {
            return refuse(PeerRefusal.retryLater(ProblemType.RATE_LIMITED, "replica " + sender.sender() + " already has "
                    + inFlight.held(sender.sender()) + " bytes of requests in flight here; with this one's " + reserved
                    + " it would exceed the " + inFlight.perPeerMaxBytes() + " one replica may have at once",
                    PeerRefusal.OVER_IN_FLIGHT), true);
        }
        if (reservation == PeerInFlightBytes.Reservation.OVER_ALL_PEERS) {
            return refuse(PeerRefusal.retryLater(ProblemType.UNAVAILABLE, "the replicas have " + inFlight.heldByAll()
                    + " bytes of requests in flight here; with replica " + sender.sender() + "'s " + reserved
                    + " they would exceed the " + inFlight.allPeersMaxBytes() + " this replica accepts from all of them"
                    + " at once (" + IN_FLIGHT_PROPERTY + "); retry in 1 s",
                    PeerRefusal.OVER_IN_FLIGHT_ALL_PEERS), true);
        }
        try {
            return receive(request, sender, limit, limits.codecLimits());
        } finally {
            inFlight.release(sender.sender(), reserved);
        }
    }

    private ResponseEntity<?> receive(HttpServletRequest request, PeerRequestAuthenticator.Sender sender, long limit,
                                      MessageCodec.Limits limits) throws IOException {
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        }
        if (body.length > limit) {
            return refuse(PeerRefusal.of(ProblemType.PAYLOAD_TOO_LARGE, "a " + sender.kind().header()
                    + " request carries at most " + limit + " bytes; this one's body is longer", PeerRefusal.OVERSIZED_BODY), true);
        }
        if (sender.declaredLength() >= 0 && body.length != sender.declaredLength()) {
            return refuse(PeerRefusal.of(ProblemType.INVALID_REQUEST, "the body ended after " + body.length + " of the "
                    + sender.declaredLength() + " bytes its Content-Length declares", PeerRefusal.MALFORMED), false);
        }
        if (sender.bodySha256() != null && !sender.bodySha256().equals(Digest.sha256(body))) {
            return refuse(PeerRefusal.badSignature("the body's SHA-256 is not the signed "
                    + PeerRequestSignature.BODY_SHA256_HEADER + ": not the body replica " + sender.sender() + " signed"), false);
        }
        List<Signed<?>> messages;
        try {
            messages = MessageCodec.decodeAll(body, limits);
        } catch (MessageFormatException | IllegalArgumentException e) {
            return refuse(PeerRefusal.of(ProblemType.INVALID_REQUEST, "malformed peer message: " + e.getMessage(),
                    PeerRefusal.MALFORMED), false);
        }
        PeerRequestKind held = PeerRequestKind.of(messages);
        if (!messages.isEmpty() && held != sender.kind()) {
            return refuse(PeerRefusal.of(ProblemType.INVALID_REQUEST, "the request declares " + PeerRequestSignature.KIND_HEADER
                    + " " + sender.kind().header() + " but its messages are of kind " + held.header()
                    + " (the kind of the largest message in it)", PeerRefusal.WRONG_KIND), false);
        }
        traffic.receivedBody(body.length);
        if (messages.isEmpty()) {
            return ResponseEntity.accepted().build();
        }
        // The body is charged to the replica that was authenticated as its sender.
        int payer = sender.sender();
        Optional<String> overBytes = budget.body(payer, body.length);
        if (overBytes.isPresent()) {
            for (int i = 0; i < messages.size(); i++) {
                drops.increment(overBytes.get());
            }
            return ResponseEntity.accepted().build();
        }
        for (Signed<?> signed : messages) {
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> message = (Signed<? extends PbftMessage>) signed;
            Optional<String> overMessages = budget.message(message.message().replica());
            if (overMessages.isPresent()) {
                drops.increment(overMessages.get());
                continue;
            }
            InboundVerifier.Verdict verdict = verifier.verify(message);
            if (!verdict.accepted()) {
                drops.increment(verdict.dropReason());
                continue;
            }
            outbox.heardFrom(message.message().replica());
            if (driver.offer(verdict.message())) {
                traffic.received(message.message());
            } else {
                drops.increment("queue_full");
            }
        }
        return ResponseEntity.accepted().build();
    }

    private ResponseEntity<byte[]> refuse(PeerRefusal refusal, boolean bodyUnread) {
        drops.increment(refusal.dropReason());
        return refusal.response(bodyUnread);
    }
}
