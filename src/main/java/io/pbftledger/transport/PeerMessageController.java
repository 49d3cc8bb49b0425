package io.pbftledger.transport;

import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
import io.pbftledger.node.PeerBudget;
import io.pbftledger.node.ReplicaDriver;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pbft/messages}: signed replica messages, several per request, in the binary wire
 * encoding of {@link MessageCodec}. Each message is authenticated before it reaches the consensus
 * thread; a forged, malformed or unknown-sender message is dropped and counted, never fatal. Each
 * peer's bytes and messages are charged to its {@link PeerBudget} first: what is over it is dropped
 * and counted before any signature check.
 * Not part of the public API document.
 */
@Hidden
@RestController
public class PeerMessageController {
    private final InboundVerifier verifier;
    private final ReplicaDriver driver;
    private final DropCounters drops;
    private final HttpPeerOutbox outbox;
    private final long bodyMaxBytes;
    private final MessageCodec.Limits limits;
    private final PeerTraffic traffic;
    private final PeerBudget budget;

    public PeerMessageController(InboundVerifier verifier, ReplicaDriver driver, DropCounters drops,
                                 HttpPeerOutbox outbox, PeerEndpointLimits endpointLimits, PeerTraffic traffic,
                                 ObjectProvider<PeerBudget> budget) {
        this.budget = budget.getIfAvailable(PeerBudget::unlimited);
        this.verifier = verifier;
        this.driver = driver;
        this.drops = drops;
        this.outbox = outbox;
        this.bodyMaxBytes = endpointLimits.bodyMaxBytes();
        this.limits = endpointLimits.codecLimits();
        this.traffic = traffic;
    }

    @PostMapping(path = PeerChannel.PATH, consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<?> receive(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > bodyMaxBytes) {
            drops.increment("oversized_body");
            return problem(HttpStatus.CONTENT_TOO_LARGE, "body of " + declared + " bytes exceeds " + bodyMaxBytes);
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, bodyMaxBytes + 1));
        }
        if (body.length > bodyMaxBytes) {
            drops.increment("oversized_body");
            return problem(HttpStatus.CONTENT_TOO_LARGE, "body exceeds " + bodyMaxBytes + " bytes");
        }
        List<Signed<?>> messages;
        try {
            messages = MessageCodec.decodeAll(body, limits);
        } catch (MessageFormatException | IllegalArgumentException e) {
            drops.increment("malformed");
            return problem(HttpStatus.BAD_REQUEST, "malformed peer message: " + e.getMessage());
        }
        traffic.receivedBody(body.length);
        if (messages.isEmpty()) {
            return ResponseEntity.accepted().build();
        }
        // The body is charged to the replica its certificate names, else to the first message's sender.
        int payer = request.getAttribute(PeerCertificateFilter.PEER_REPLICA_ATTRIBUTE) instanceof Integer id
                ? id : messages.get(0).message().replica();
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

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
