package io.pbftledger.transport;

import io.pbftledger.node.DropCounters;
import io.pbftledger.node.InboundVerifier;
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
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pbft/messages}: signed replica messages, several per request, in the binary wire
 * encoding of {@link MessageCodec}. Each message is authenticated before it reaches the consensus
 * thread; a forged, malformed or unknown-sender message is dropped and counted, never fatal.
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

    public PeerMessageController(InboundVerifier verifier, ReplicaDriver driver, DropCounters drops,
                                 HttpPeerOutbox outbox, PeerEndpointLimits endpointLimits, PeerTraffic traffic) {
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
        for (Signed<?> signed : messages) {
            @SuppressWarnings("unchecked")
            Signed<? extends PbftMessage> message = (Signed<? extends PbftMessage>) signed;
            Optional<String> rejected = verifier.reject(message);
            if (rejected.isPresent()) {
                drops.increment(rejected.get());
                continue;
            }
            outbox.heardFrom(message.message().replica());
            if (driver.offer(message)) {
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
