package io.pbftledger.pbft.core;

import static io.pbftledger.pbft.core.Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Forward;
import io.pbftledger.pbft.message.ViewChange;
import org.junit.jupiter.api.Test;

/**
 * The backups' request timers [4.5.2], aged per request: a primary that keeps ordering other
 * clients' requests cannot keep one client out for good, and a replica does not start a view change
 * the current view does not deserve.
 */
class RequestTimerTest {
    private static final long T = Fixture.VIEW_CHANGE_TIMEOUT;
    private static final long STEP = 100;
    private static final ClientRequest CENSORED = request("censored", 1);

    /**
     * A primary that proposes every other client's requests, batch after batch, but never the
     * censored client's: the backups that hold the censored request start a view change once it
     * waited longer than the timeout, and the request commits in the next view.
     */
    @Test
    void aPrimaryThatNeverProposesOneClientsRequestWhileOrderingOthersIsReplaced() {
        Cluster c = new Cluster();
        // Replica 0 never gets the censored request: from the backups' side it is a primary that
        // never proposes it, while it orders everything else it receives.
        c.filter = (to, m) -> !(to == 0 && m.message() instanceof Forward f && f.requests().contains(CENSORED));
        for (int backup = 1; backup < Fixture.N; backup++) {
            c.replicas[backup].submit(CENSORED);
            c.pump(backup);
        }
        c.run();
        long nonce = 0;
        for (long t = STEP; t <= 6 * T; t += STEP) {
            c.submit(0, request("steady", ++nonce));
            c.tickAll(t);
        }
        assertThat(c.executed.get(1)).as("the other clients' requests kept committing").hasSizeGreaterThan(10);
        for (int backup = 1; backup < Fixture.N; backup++) {
            assertThat(c.sentBy(backup, ViewChange.class)).as("backup %d asked for a new view", backup).isNotEmpty();
        }
        for (int r = 0; r < Fixture.N; r++) {
            assertThat(c.executedKeys.get(r)).as("replica %d executed the censored request", r)
                    .contains(CENSORED.clientId() + "#" + CENSORED.nonce());
            assertThat(c.replicas[r].status().view()).isGreaterThanOrEqualTo(1);
        }
    }
}
