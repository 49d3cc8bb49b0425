package io.pbftledger.hostile;

import io.pbftledger.chain.Transaction;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Requests to the peer endpoints from whoever is not a replica, and forged messages from one that
 * turned hostile. Without a replica certificate (TLS is on, so the certificate decides): no
 * credentials, the signed peer-request headers of a replica with a forged signature, a client's
 * certificate, the chain pages without a certificate. With a peer replica's certificate: votes
 * signed in another replica's name, from a replica outside the membership, with a flipped signature
 * bit (accepted at the door, dropped and counted), and bodies that are not messages, truncated,
 * of another kind than declared, without or with an unknown kind, or of the wrong content type.
 */
public final class ForgedPeerRequests implements RequestSource {
    static final String MESSAGES = "/pbft/messages";
    private static final int SHAPES = 12;

    @Override
    public Kind kind() {
        return Kind.FORGED;
    }

    @Override
    public List<HostileRequest> generate(Random random, Target target, int count) {
        List<HostileRequest> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(shape(i % SHAPES, random, target));
        }
        return out;
    }

    private HostileRequest shape(int shape, Random random, Target target) {
        String peerCertificate = "replica-" + target.peer();
        byte[] vote = MessageCodec.encodeAll(List.of(commit(target, target.peer(), random)));
        return switch (shape) {
            case 0 -> post("no credentials", Body.of(Body.OCTETS, vote), List.of("X-Pbft-Kind: votes"), null,
                    Expect.refused(403, "client certificate"));
            case 1 -> {
                byte[] signature = new byte[64];
                random.nextBytes(signature);
                List<String> headers = List.of("X-Pbft-Kind: votes", "X-Pbft-Sender: " + target.peer(),
                        "X-Pbft-Nonce: " + target.clockMs().getAsLong() * 1000,
                        "X-Pbft-Body-Sha256: " + HexFormat.of().formatHex(Digest.sha256(vote).bytes()),
                        "X-Pbft-Signature: " + Base64.getEncoder().encodeToString(signature));
                yield post("forged signed headers", Body.of(Body.OCTETS, vote), headers, null, Expect.refused(403, "client certificate"));
            }
            case 2 -> post("a client's certificate", Body.of(Body.OCTETS, vote), List.of("X-Pbft-Kind: votes"), "client-1",
                    Expect.refused(403, "only replicas may send consensus messages"));
            case 3 -> {
                String page = List.of("/pbft/blocks?from=0&limit=5", "/pbft/checkpoint", "/pbft/blocks?from=1&limit=100").get(random.nextInt(3));
                yield HostileRequest.of(Kind.FORGED, "chain page without a certificate", "GET", page, null,
                        Expect.refused(403, "client certificate"));
            }
            case 4 -> {
                int victim = otherReplica(target, random);
                Signed<Commit> inVictimsName = target.sign(target.peerKey(), commit(target, victim, random).message());
                yield post("vote in replica " + victim + "'s name", Body.of(Body.OCTETS, MessageCodec.encodeAll(List.of(inVictimsName))),
                        List.of("X-Pbft-Kind: votes"), peerCertificate, Expect.served(202));
            }
            case 5 -> {
                int stranger = target.membership().n() + random.nextInt(100);
                Signed<Commit> outsider = target.sign(target.peerKey(), new Commit(stranger, 0, 1, digest(random)));
                yield post("vote from replica " + stranger, Body.of(Body.OCTETS, MessageCodec.encodeAll(List.of(outsider))),
                        List.of("X-Pbft-Kind: votes"), peerCertificate, Expect.served(202));
            }
            case 6 -> {
                Signed<Commit> genuine = commit(target, target.peer(), random);
                byte[] signature = genuine.signature().clone();
                signature[random.nextInt(64)] ^= (byte) (1 << random.nextInt(8));
                yield post("vote with a flipped signature bit", Body.of(Body.OCTETS,
                                MessageCodec.encodeAll(List.of(new Signed<>(genuine.message(), signature)))),
                        List.of("X-Pbft-Kind: votes"), peerCertificate, Expect.served(202));
            }
            case 7 -> {
                byte[] noise = new byte[1 + random.nextInt(2_000)];
                random.nextBytes(noise);
                yield post("noise of " + noise.length + " bytes", Body.of(Body.OCTETS, noise), List.of("X-Pbft-Kind: votes"),
                        peerCertificate, Expect.refused(400, "malformed peer message"));
            }
            case 8 -> {
                int cut = 1 + random.nextInt(vote.length - 1);
                yield post("vote truncated at " + cut, Body.of(Body.OCTETS, Arrays.copyOf(vote, cut)), List.of("X-Pbft-Kind: votes"),
                        peerCertificate, Expect.refused(400, "malformed peer message"));
            }
            case 9 -> {
                Transaction tx = SampleTransactions.forged(target.chainId(), "client-1", SampleTransactions.neverValidNonce(random), random);
                Signed<Forward> forward = target.sign(target.peerKey(), new Forward(target.peer(), List.of(tx.toRequest())));
                yield post("a batch declared as votes", Body.of(Body.OCTETS, MessageCodec.encodeAll(List.of(forward))),
                        List.of("X-Pbft-Kind: votes"), peerCertificate,
                        Expect.refused(400, "declares X-Pbft-Kind votes but its messages are of kind batch"));
            }
            case 10 -> {
                String kind = List.of("", "vote", "VOTES", "everything", "batch,votes").get(random.nextInt(5));
                List<String> headers = kind.isEmpty() ? List.of() : List.of("X-Pbft-Kind: " + kind);
                yield post("kind '" + kind + "'", Body.of(Body.OCTETS, vote), headers, peerCertificate,
                        Expect.refused(400, "X-Pbft-Kind"));
            }
            default -> {
                String type = List.of("application/json", "text/plain", "application/x-protobuf").get(random.nextInt(3));
                yield post("content type " + type, Body.of(type, vote), List.of("X-Pbft-Kind: votes"), peerCertificate,
                        Expect.refused(415, "content type"));
            }
        };
    }

    private static HostileRequest post(String label, Body body, List<String> headers, String certificate, Expect expect) {
        HostileRequest r = HostileRequest.of(Kind.FORGED, "peer: " + label, "POST", MESSAGES, body, expect).withHeaders(headers);
        return certificate == null ? r : r.withCertificate(certificate);
    }

    /** A COMMIT of {@code replica} for sequence 1 of view 0 (executed long ago), signed with the peer's key. */
    private static Signed<Commit> commit(Target target, int replica, Random random) {
        return target.sign(target.peerKey(), new Commit(replica, 0, 1, digest(random)));
    }

    private static Digest digest(Random random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new Digest(bytes);
    }

    private static int otherReplica(Target target, Random random) {
        int r;
        do {
            r = random.nextInt(target.membership().n());
        } while (r == target.peer());
        return r;
    }
}
