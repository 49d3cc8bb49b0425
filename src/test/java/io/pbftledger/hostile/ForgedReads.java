package io.pbftledger.hostile;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.ReadRequestSignature;
import io.pbftledger.crypto.Ed25519;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Reads of a replica whose reads are closed, with credentials that must not pass: random signatures,
 * another client's key, an unknown client, a timestamp from the future, malformed or missing headers,
 * a replica's certificate where a client's is needed, and the admin-only chain verification signed by
 * a client without the admin role.
 */
public final class ForgedReads implements RequestSource {
    private static final int SHAPES = 9;

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
        ClientIdentity reader = target.client("client-" + (1 + random.nextInt(2)));
        ClientIdentity other = target.client(reader.clientId().equals("client-1") ? "client-2" : "client-1");
        String path = List.of("/api/v1/consensus", "/api/v1/membership", "/api/v1/blocks/latest", "/api/v1/blocks?limit=3",
                "/api/v1/checkpoints", "/api/v1/state/hostile-7").get(random.nextInt(6));
        long now = target.clockMs().getAsLong();
        return switch (shape) {
            case 0 -> {
                byte[] signature = new byte[64];
                random.nextBytes(signature);
                yield read("random read signature", path, headers(reader.clientId(), Long.toString(now),
                        Base64.getEncoder().encodeToString(signature)), Expect.refused(401, "does not verify"));
            }
            case 1 -> {
                // other's signature under reader's name
                String signature = ReadRequestSignature.sign(other, "GET", path, now);
                yield read("read signed by another client's key", path, headers(reader.clientId(), Long.toString(now), signature),
                        Expect.refused(401, "does not verify with the key of client '" + reader.clientId() + "'"));
            }
            case 2 -> {
                String stranger = "mallory-" + random.nextInt(1000);
                byte[] seed = new byte[32];
                random.nextBytes(seed);
                ClientIdentity fake = new ClientIdentity(stranger, target.chainId(), Ed25519.PrivateKey.fromSeed(seed));
                yield read("read by an unknown client", path, Target.signedRead(fake, "GET", path, now),
                        Expect.refused(403, "client '" + stranger + "' is not a member"));
            }
            case 3 -> read("read timestamped 10 minutes ahead", path, Target.signedRead(reader, "GET", path, now + 600_000),
                    Expect.refused(401, "ms away from this replica's clock"));
            case 4 -> {
                String bad = List.of("abc", "-1", "1e12", "", "99999999999999999999", "0x10").get(random.nextInt(6));
                yield read("read timestamp '" + bad + "'", path, headers(reader.clientId(), bad,
                        ReadRequestSignature.sign(reader, "GET", path, now)), Expect.refusedAnyOf(401));
            }
            case 5 -> {
                String bad = List.of("not base64!", "AAAA", "", "=".repeat(200)).get(random.nextInt(4));
                yield read("read signature '" + MalformedBodies.abbreviate(bad) + "'", path,
                        headers(reader.clientId(), Long.toString(now), bad), Expect.refused(401, "X-Ledger-Signature"));
            }
            case 6 -> {
                List<String> all = Target.signedRead(reader, "GET", path, now);
                int drop = random.nextInt(3);
                List<String> partial = new ArrayList<>(all);
                partial.remove(drop);
                yield read("read without " + all.get(drop).substring(0, all.get(drop).indexOf(':')), path, partial,
                        Expect.refused(401, "a signed read needs all of"));
            }
            case 7 -> HostileRequest.of(Kind.FORGED, "read with a replica's certificate", "GET", path, null,
                    Expect.refused(403, "replica")).withCertificate("replica-" + target.peer());
            default -> read("chain verification by a non-admin", "/api/v1/chain/verify",
                    target.signedRead(reader, "GET", "/api/v1/chain/verify"),
                    Expect.refused(403, "client '" + reader.clientId() + "' lacks the admin role"));
        };
    }

    private static HostileRequest read(String label, String path, List<String> headers, Expect expect) {
        return HostileRequest.of(Kind.FORGED, label, "GET", path, null, expect).withHeaders(headers);
    }

    private static List<String> headers(String client, String timestamp, String signature) {
        return List.of(ReadRequestSignature.CLIENT_HEADER + ": " + client, ReadRequestSignature.TIMESTAMP_HEADER + ": " + timestamp,
                ReadRequestSignature.SIGNATURE_HEADER + ": " + signature);
    }
}
