package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.drain;
import static io.pbftledger.pbft.core.Fixture.request;
import static io.pbftledger.pbft.core.Fixture.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.PrePrepare;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The primary serves clients round-robin, so one client's flood cannot starve the others. */
class FairQueueTest {

    /** A request replica 1 forwarded. */
    private static FairQueue.Added add(FairQueue q, String client, long nonce) {
        return add(q, 1, client, nonce);
    }

    /** A request replica {@code source} forwarded. */
    private static FairQueue.Added add(FairQueue q, int source, String client, long nonce) {
        ClientRequest r = request(client, nonce);
        return q.addForwarded(RequestKey.of(r), r, source);
    }

    /** A request this replica accepted itself. */
    private static FairQueue.Added addHeld(FairQueue q, String client, long nonce) {
        ClientRequest r = request(client, nonce);
        return q.addHeld(RequestKey.of(r), r);
    }

    private static List<String> order(List<ClientRequest> batch) {
        return batch.stream().map(r -> r.clientId() + r.nonce()).toList();
    }

    @Test
    void aBatchTakesOneRequestOfEachWaitingClientInTurnEachInItsOwnOrder() {
        FairQueue q = new FairQueue(10_000);
        for (int i = 1; i <= 1_000; i++) {
            add(q, "flood", i);
        }
        add(q, "b", 1);
        add(q, "c", 1);
        add(q, "b", 2);

        assertThat(order(q.take(5, Long.MAX_VALUE))).containsExactly("flood1", "b1", "c1", "flood2", "b2");
        assertThat(order(q.take(3, Long.MAX_VALUE))).containsExactly("flood3", "flood4", "flood5");
        assertThat(q.size()).isEqualTo(995);
    }

    @Test
    void aLateClientIsServedWithinOneRoundNoMatterHowMuchAnotherHasQueued() {
        FairQueue q = new FairQueue(100_000);
        for (int i = 1; i <= 50_000; i++) {
            add(q, "flood", i);
        }
        q.take(7, Long.MAX_VALUE);
        add(q, "late", 1);
        // The rotation is flood, late: the late client's request is in the very next batch.
        assertThat(order(q.take(2, Long.MAX_VALUE))).containsExactly("flood8", "late1");
    }

    @Test
    void whenFullTheReplicaForwardingTheMostGivesUpItsNewestRequestAndCannotPushFurtherItself() {
        FairQueue q = new FairQueue(4);
        for (int i = 1; i <= 4; i++) {
            assertThat(add(q, 3, "flood", i)).isEqualTo(FairQueue.Added.QUEUED);
        }
        assertThat(add(q, 3, "flood", 5)).as("the flooding replica cannot push beyond the bound")
                .isEqualTo(FairQueue.Added.REFUSED);
        assertThat(add(q, 1, "b", 1)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        assertThat(add(q, 1, "b", 2)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        // Now 2 and 2: replica 1 is among those forwarding the most, so its next request is refused.
        assertThat(add(q, 1, "b", 3)).isEqualTo(FairQueue.Added.REFUSED);
        assertThat(q.size()).isEqualTo(4);
        assertThat(q.contains(new RequestKey("flood", 4))).as("the newest flood request gave way").isFalse();
        assertThat(order(q.drain())).containsExactly("flood1", "flood2", "b1", "b2");
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.bytes()).isZero();
    }

    @Test
    void aRequestAcceptedHereIsQueuedBeyondTheBoundAndNeverGivesWay() {
        FairQueue q = new FairQueue(4);
        for (int i = 1; i <= 4; i++) {
            add(q, 3, "flood", i);
        }
        for (int i = 5; i <= 6; i++) {
            assertThat(addHeld(q, "flood", i)).as("held here: nobody else remembers it").isEqualTo(FairQueue.Added.QUEUED);
        }
        assertThat(q.size()).isEqualTo(6);
        assertThat(q.forwardedSize()).isEqualTo(4);

        // A forwarded newcomer may displace only forwarded requests: replica 3's newest ones.
        assertThat(add(q, 1, "b", 1)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        assertThat(q.contains(new RequestKey("flood", 4))).isFalse();
        assertThat(add(q, 1, "b", 2)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        assertThat(q.contains(new RequestKey("flood", 3))).isFalse();
        // 2 and 2 now; the held flood requests are nobody's to take.
        assertThat(add(q, 1, "b", 3)).isEqualTo(FairQueue.Added.REFUSED);
        assertThat(order(q.drain())).containsExactly("flood1", "flood2", "flood5", "flood6", "b1", "b2");
        assertThat(q.forwardedSize()).isZero();
    }

    @Test
    void theByteLimitStillCutsARoundShortButALoneLargeRequestGoes() {
        FairQueue q = new FairQueue(100);
        ClientRequest big = request("a", 1, 600);
        q.addForwarded(RequestKey.of(big), big, 1);
        ClientRequest small = request("b", 1, 600);
        q.addForwarded(RequestKey.of(small), small, 1);
        assertThat(order(q.take(10, 500))).containsExactly("a1");
        assertThat(q.bytes()).isEqualTo(600);
    }

    @Test
    void thePrimaryInterleavesClientsInsteadOfServingTheEarliestFloodFirst() {
        Fixture fx = new Fixture();
        Replica primary = fx.replica(0);
        primary.tick(1_000);
        primary.submit(request("a", 1));
        primary.submit(request("a", 2));
        primary.submit(request("b", 1));
        assertThat(sent(drain(primary), PrePrepare.class)).singleElement()
                .satisfies(pp -> assertThat(order(pp.batch())).containsExactly("a1", "b1", "a2"));
    }
}
