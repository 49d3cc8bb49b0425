package io.pbftledger.transport;

import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ReplicaRoster;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.ReplicaDirectory;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.web.ProblemType;
import jakarta.servlet.http.HttpServletRequest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Who sends a request to {@code POST /pbft/messages}, and what it declares, decided from the TLS
 * handshake and the headers alone, before any of the body is read: a client certificate of the
 * cluster CA naming a replica of the membership (mutual TLS), or else the signed headers of
 * {@link PeerRequestSignature}, whose nonce must be fresh ({@link PeerNonces}). Anything else is
 * refused. Thread-safe.
 */
public final class PeerRequestAuthenticator {
    /** Where the servlet container puts the verified client certificate chain. */
    private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";
    private static final List<String> SIGNED_HEADERS = List.of(PeerRequestSignature.SENDER_HEADER,
            PeerRequestSignature.NONCE_HEADER, PeerRequestSignature.BODY_SHA256_HEADER, PeerRequestSignature.SIGNATURE_HEADER);

    /**
     * An authenticated request.
     *
     * @param sender         the replica that sent it
     * @param kind           what it declares to carry
     * @param declaredLength its Content-Length, -1 when absent (only with TLS)
     * @param bodySha256     the signed digest its body must have; null with TLS
     */
    record Sender(int sender, PeerRequestKind kind, long declaredLength, Digest bodySha256) {
    }

    /** A sender, or why the request is refused. */
    record Verdict(Sender sender, PeerRefusal refusal) {
        static Verdict refused(PeerRefusal refusal) {
            return new Verdict(null, refusal);
        }
    }

    private final String chainId;
    private final ReplicaDirectory replicas;
    private final int self;
    private final SigningDomain chain;
    private final PeerNonces nonces;

    public PeerRequestAuthenticator(Membership membership, int self, SigningDomain chain, long windowMs) {
        this(membership, ReplicaDirectory.genesis(membership), self, chain, windowMs);
    }

    /** @param replicas who may send, and with which keys (the newest epoch and the one before it) */
    public PeerRequestAuthenticator(Membership membership, ReplicaDirectory replicas, int self, SigningDomain chain,
                                    long windowMs) {
        this(membership.chainId(), replicas, self, chain, new PeerNonces(ReplicaRoster.REPLICAS_MAX, windowMs,
                PeerRequestSigner::nowMicros));
    }

    PeerRequestAuthenticator(Membership membership, int self, SigningDomain chain, long windowMs, LongSupplier microsClock) {
        this(membership.chainId(), ReplicaDirectory.genesis(membership), self, chain,
                new PeerNonces(ReplicaRoster.REPLICAS_MAX, windowMs, microsClock));
    }

    private PeerRequestAuthenticator(String chainId, ReplicaDirectory replicas, int self, SigningDomain chain,
                                     PeerNonces nonces) {
        this.chainId = chainId;
        this.replicas = replicas;
        this.self = self;
        this.chain = chain;
        this.nonces = nonces;
    }

    /** Slots per sender: one per possible replica id. */
    int replicas() {
        return ReplicaRoster.REPLICAS_MAX;
    }

    Verdict authenticate(HttpServletRequest request) {
        Optional<Integer> certified = certifiedReplica(request);
        if (certified.isEmpty() && SIGNED_HEADERS.stream().allMatch(h -> request.getHeader(h) == null)) {
            return Verdict.refused(PeerRefusal.unauthenticated("peer messages need a replica's client certificate "
                    + "(mutual TLS) or its signed headers " + String.join(", ", SIGNED_HEADERS) + " ("
                    + PeerRequestSignature.DOMAIN + ")"));
        }
        String kindHeader = request.getHeader(PeerRequestSignature.KIND_HEADER);
        Optional<PeerRequestKind> kind = PeerRequestKind.parse(kindHeader);
        if (kind.isEmpty()) {
            return Verdict.refused(PeerRefusal.of(ProblemType.INVALID_REQUEST, PeerRequestSignature.KIND_HEADER
                    + (kindHeader == null ? " is missing" : " '" + kindHeader + "' is unknown") + ": it must be "
                    + PeerRequestKind.accepted(), PeerRefusal.MALFORMED));
        }
        long declared = request.getContentLengthLong();
        if (certified.isPresent()) {
            return new Verdict(new Sender(certified.get(), kind.get(), declared, null), null);
        }
        return signed(request, kind.get(), declared);
    }

    private Verdict signed(HttpServletRequest request, PeerRequestKind kind, long declared) {
        List<String> missing = new ArrayList<>();
        for (String header : SIGNED_HEADERS) {
            if (request.getHeader(header) == null) {
                missing.add(header);
            }
        }
        if (!missing.isEmpty()) {
            return Verdict.refused(PeerRefusal.badSignature("the signed peer request lacks " + String.join(", ", missing)));
        }
        String senderText = request.getHeader(PeerRequestSignature.SENDER_HEADER);
        int sender = parseInt(senderText);
        List<Ed25519.PublicKey> keys = sender < 0 ? List.of() : replicas.recentKeys(sender);
        if (keys.isEmpty() || sender == self) {
            return Verdict.refused(PeerRefusal.badSignature(PeerRequestSignature.SENDER_HEADER + " '" + senderText
                    + "' is not another replica of this chain's recent replica sets (" + replicas.recentMembers().keySet()
                    + ", this is " + self + ")"));
        }
        String nonceText = request.getHeader(PeerRequestSignature.NONCE_HEADER);
        long nonce = parseLong(nonceText);
        if (nonce < 0) {
            return Verdict.refused(PeerRefusal.badSignature(PeerRequestSignature.NONCE_HEADER + " '" + nonceText
                    + "' is not a decimal count of microseconds"));
        }
        Digest sha256;
        try {
            sha256 = Digest.fromHex(request.getHeader(PeerRequestSignature.BODY_SHA256_HEADER));
        } catch (IllegalArgumentException e) {
            return Verdict.refused(PeerRefusal.badSignature(PeerRequestSignature.BODY_SHA256_HEADER
                    + " is not 64 hexadecimal characters"));
        }
        byte[] signature = base64(request.getHeader(PeerRequestSignature.SIGNATURE_HEADER));
        if (signature == null || signature.length != 64) {
            return Verdict.refused(PeerRefusal.badSignature(PeerRequestSignature.SIGNATURE_HEADER
                    + " is not the base64 of a 64-byte Ed25519 signature"));
        }
        if (declared < 0) {
            return Verdict.refused(PeerRefusal.of(ProblemType.LENGTH_REQUIRED,
                    "a signed peer request needs a Content-Length: the signature covers it", PeerRefusal.MALFORMED));
        }
        Optional<String> stale = nonces.stale(sender, nonce);
        if (stale.isPresent()) {
            return Verdict.refused(PeerRefusal.badSignature(stale.get()));
        }
        byte[] signed = PeerRequestSignature.signingBytes(chain, sender, self, kind, declared, sha256, nonce);
        if (keys.stream().noneMatch(key -> key.verify(signed, signature))) {
            return Verdict.refused(PeerRefusal.badSignature(PeerRequestSignature.SIGNATURE_HEADER
                    + " does not verify with replica " + sender + "'s key over this request (to replica " + self
                    + ", this chain, " + kind.header() + ", Content-Length " + declared + ", the body digest and nonce)"));
        }
        if (!nonces.take(sender, nonce)) {
            return Verdict.refused(PeerRefusal.badSignature("nonce " + nonce + " of replica " + sender
                    + " was overtaken by a later one meanwhile: a replayed request"));
        }
        return new Verdict(new Sender(sender, kind, declared, sha256), null);
    }

    /** The replica a verified client certificate names, if it names one of this membership. */
    private Optional<Integer> certifiedReplica(HttpServletRequest request) {
        Object chain = request.getAttribute(CERTIFICATE_ATTRIBUTE);
        X509Certificate certificate = chain instanceof X509Certificate[] certificates && certificates.length > 0
                ? certificates[0] : null;
        return PeerIdentity.of(certificate)
                .filter(identity -> identity.replica() && identity.ofChain(chainId)
                        && replicas.recentMembers().containsKey(identity.replicaId()) && identity.replicaId() != self)
                .map(PeerIdentity::replicaId);
    }

    private static int parseInt(String text) {
        try {
            return text.length() <= 9 ? Integer.parseInt(text) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static long parseLong(String text) {
        try {
            return text.length() <= 19 ? Long.parseLong(text) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static byte[] base64(String text) {
        try {
            return text.length() <= 100 ? Base64.getDecoder().decode(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
