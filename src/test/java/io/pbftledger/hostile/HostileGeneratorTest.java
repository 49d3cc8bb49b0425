package io.pbftledger.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import io.pbftledger.crypto.Sha256;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hostile run's generator on its own: what a seed makes, and that it makes it every time. */
class HostileGeneratorTest {
    private static final long CLOCK_MS = 1_767_225_600_000L;

    private static Ed25519.PrivateKey key(int seed) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) seed);
        return Ed25519.PrivateKey.fromSeed(bytes);
    }

    private static Target target() {
        List<Membership.Replica> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(new Membership.Replica(i, "https://127.0.0.1:" + (9000 + i), key(10 + i).publicKey()));
        }
        List<ClientIdentity> identities = new ArrayList<>();
        List<Membership.Client> clients = new ArrayList<>();
        for (int j = 0; j < 3; j++) {
            ClientIdentity id = new ClientIdentity("client-" + j, "hostile-chain", key(20 + j));
            identities.add(id);
            clients.add(new Membership.Client(id.clientId(), id.privateKey().publicKey(),
                    j == 0 ? EnumSet.of(Role.ADMIN) : EnumSet.of(Role.SUBMIT, Role.READ)));
        }
        List<Transaction> originals = new ArrayList<>();
        for (int k = 0; k < 6; k++) {
            originals.add(identities.get(k % 3).sign(k, "hostile-" + k, "{\"original\":" + k + "}"));
        }
        return new Target(new Membership("hostile-chain", replicas, clients), identities, 1, key(11), originals,
                () -> CLOCK_MS);
    }

    /** Everything that goes on the wire, the body as its digest. */
    private static List<String> wire(List<HostileRequest> requests) {
        List<String> out = new ArrayList<>();
        for (HostileRequest r : requests) {
            out.add(r.kind() + " " + r.method() + " " + r.target() + " " + r.headers() + " " + r.certificate() + " "
                    + (r.body() == null ? "-" : r.body().contentType() + " " + r.body().framing() + " "
                    + r.body().announcedLength() + " " + HexFormat.of().formatHex(Sha256.hash(r.body().bytes())))
                    + " x" + r.copies());
        }
        return out;
    }

    @Test
    void aSeedMakesTheSameRequestsEveryTimeAndAnotherSeedOthers() {
        List<String> first = wire(HostileGenerator.generate(15, target()));
        List<String> again = wire(HostileGenerator.generate(15, target()));
        List<String> other = wire(HostileGenerator.generate(16, target()));

        assertThat(again).isEqualTo(first);
        assertThat(other).hasSameSizeAs(first).isNotEqualTo(first);
    }

    @Test
    void thePlanMakesSeveralThousandRequestsOfEveryKind() {
        List<HostileRequest> requests = HostileGenerator.generate(15, target());
        Map<Kind, Integer> byKind = new EnumMap<>(Kind.class);
        requests.forEach(r -> byKind.merge(r.kind(), r.copies(), Integer::sum));

        assertThat(requests.stream().mapToInt(HostileRequest::copies).sum()).isGreaterThan(3_000);
        assertThat(byKind.keySet()).containsExactlyInAnyOrder(Kind.values());
        assertThat(byKind.values()).allMatch(n -> n >= 50);
        // only the valid traffic carries transactions to store, and every refusal is expected as one
        assertThat(requests).filteredOn(r -> !r.stores().isEmpty()).allMatch(r -> r.kind() == Kind.VALID);
        assertThat(requests).filteredOn(r -> r.kind() != Kind.VALID && r.kind() != Kind.REPLAYED
                        && r.kind() != Kind.FORGED && !r.target().startsWith(MalformedBodies.BATCH))
                .allMatch(r -> r.expect().statuses().stream().allMatch(s -> s >= 400), "refused");
    }
}
