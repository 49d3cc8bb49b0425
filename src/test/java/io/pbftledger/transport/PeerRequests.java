package io.pbftledger.transport;

import io.pbftledger.chain.Genesis;
import io.pbftledger.chain.Membership;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Signed;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** Peer requests to {@code POST /pbft/messages} signed as the real sender signs them, for tests. */
final class PeerRequests {
    private final Membership membership;
    private final List<Ed25519.PrivateKey> keys;
    private final int receiver;
    /** One signer per sender, so its nonces keep increasing across requests. */
    private final Map<Integer, PeerRequestSigner> signers = new ConcurrentHashMap<>();

    PeerRequests(Membership membership, List<Ed25519.PrivateKey> keys, int receiver) {
        this.membership = membership;
        this.keys = keys;
        this.receiver = receiver;
    }

    /** The signer of replica {@code sender}. */
    PeerRequestSigner signer(int sender) {
        return signers.computeIfAbsent(sender, s -> PeerRequestSigner.signing(keys.get(s), Genesis.signingDomain(membership),
                s, membership.n()));
    }

    /** The headers replica {@code sender} puts on a request of {@code kind} with {@code body}. */
    Map<String, String> headers(int sender, PeerRequestKind kind, byte[] body) {
        return signer(sender).headers(receiver, kind, body);
    }

    /** A request with {@code body} (of kind {@code kind}) signed by replica {@code sender}. */
    MockHttpServletRequestBuilder post(int sender, PeerRequestKind kind, byte[] body) {
        MockHttpServletRequestBuilder builder = org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post(PeerChannel.PATH).contentType(MediaType.APPLICATION_OCTET_STREAM).content(body);
        headers(sender, kind, body).forEach((name, value) -> builder.header(name, value));
        return builder;
    }

    /** A request with {@code body} of votes signed by replica {@code sender}. */
    MockHttpServletRequestBuilder post(int sender, byte[] body) {
        return post(sender, PeerRequestKind.VOTES, body);
    }

    /** A request carrying {@code messages}, of their kind, signed by replica {@code sender}. */
    MockHttpServletRequestBuilder post(int sender, List<? extends Signed<?>> messages) {
        return post(sender, PeerRequestKind.of(messages), io.pbftledger.pbft.message.MessageCodec.encodeAll(messages));
    }
}
