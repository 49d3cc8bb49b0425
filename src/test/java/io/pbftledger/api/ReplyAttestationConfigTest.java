package io.pbftledger.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** The signer knows which replica it is, and lies only when fault injection 'wrong-replies' is switched on. */
class ReplyAttestationConfigTest {
    private final ReplyAttestationConfig config = new ReplyAttestationConfig();

    private ReplyAttestor attestor(MockEnvironment environment) {
        return config.replyAttestor(ApiFixtures.membership(), ApiFixtures.REPLICA_KEYS.get(3), environment);
    }

    @Test
    void anHonestReplicaSignsAsItsMembershipId() {
        ReplyAttestor attestor = attestor(new MockEnvironment());

        assertThat(attestor.replicaId()).isEqualTo(3);
        assertThat(attestor.lies()).isFalse();
    }

    @Test
    void onlyEnabledWrongRepliesMakesItLie() {
        assertThat(attestor(new MockEnvironment().withProperty("ledger.fault-injection.enabled", "true")
                .withProperty("ledger.fault-injection.mode", "wrong-replies")).lies()).isTrue();
        assertThat(attestor(new MockEnvironment().withProperty("ledger.fault-injection.enabled", "true")
                .withProperty("ledger.fault-injection.mode", "WRONG_REPLIES")).lies()).isTrue();
        assertThat(attestor(new MockEnvironment().withProperty("ledger.fault-injection.enabled", "false")
                .withProperty("ledger.fault-injection.mode", "wrong-replies")).lies()).isFalse();
        assertThat(attestor(new MockEnvironment().withProperty("ledger.fault-injection.enabled", "true")
                .withProperty("ledger.fault-injection.mode", "silent")).lies()).isFalse();
    }

    @Test
    void aKeyThatIsNoReplicasKeyIsRefused() {
        assertThatThrownBy(() -> new ReplyAttestor(ApiFixtures.membership(), ApiFixtures.CLIENT_0_KEY, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not the key of any replica");
    }
}
