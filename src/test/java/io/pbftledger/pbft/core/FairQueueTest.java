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

    private static FairQueue.Added add(FairQueue q, String client, long nonce) {
        ClientRequest r = request(client, nonce);
        return q.add(RequestKey.of(r), r);
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
    void whenFullANewcomerDisplacesTheNewestRequestOfTheLargestHolderAndNeverItsOwnPeers() {
        FairQueue q = new FairQueue(4);
        for (int i = 1; i <= 4; i++) {
            assertThat(add(q, "flood", i)).isEqualTo(FairQueue.Added.QUEUED);
        }
        assertThat(add(q, "flood", 5)).as("the flooder cannot push beyond the bound").isEqualTo(FairQueue.Added.REFUSED);
        assertThat(add(q, "b", 1)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        assertThat(add(q, "b", 2)).isEqualTo(FairQueue.Added.QUEUED_DISPLACING_ANOTHER);
        // Now 2 and 2: nobody holds more than the newcomer would, so the queue refuses.
        assertThat(add(q, "b", 3)).isEqualTo(FairQueue.Added.REFUSED);
        assertThat(q.size()).isEqualTo(4);
        assertThat(q.contains(new RequestKey("flood", 4))).as("the newest flood request gave way").isFalse();
        assertThat(order(q.drain())).containsExactly("flood1", "flood2", "b1", "b2");
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.bytes()).isZero();
    }

    @Test
    void theByteLimitStillCutsARoundShortButALoneLargeRequestGoes() {
        FairQueue q = new FairQueue(100);
        ClientRequest big = request("a", 1, 600);
        q.add(RequestKey.of(big), big);
        ClientRequest small = request("b", 1, 600);
        q.add(RequestKey.of(small), small);
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
