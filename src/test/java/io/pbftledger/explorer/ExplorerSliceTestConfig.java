package io.pbftledger.explorer;

import io.pbftledger.api.ApiWebConfig;
import io.pbftledger.api.ReplyAttestor;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.VerifiedTransactions;
import io.pbftledger.chain.Membership;
import java.util.List;
import org.mockito.Mockito;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The web slice of the API package for the explorer's endpoint tests (see the api package's
 * ApiSliceTestConfig for why this is a plain class). Each test supplies its own Membership.
 */
@ComponentScan(basePackageClasses = ApiWebConfig.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
class ExplorerSliceTestConfig {

    @Bean
    CheckpointStore checkpointStore() {
        return Mockito.mock(CheckpointStore.class);
    }

    @Bean
    io.pbftledger.node.EpochProofs epochProofs() {
        return Mockito.mock(io.pbftledger.node.EpochProofs.class);
    }

    /** The explorer's tests do not read signed answers; the transaction and state controllers need a signer. */
    @Bean
    ReplyAttestor replyAttestor() {
        return Mockito.mock(ReplyAttestor.class);
    }

    @Bean
    List<ClientIdentity> demoClientIdentities() {
        return List.of();
    }

    /** The membership file's clients, unchanged (the membership endpoint and read authentication ask it). */
    @Bean
    ClientRegistry clientRegistry(Membership membership) {
        // the tests mock the membership, so its checkpoint interval is 0: the default one applies
        return new ClientRegistry(ClientMembership.genesis(membership,
                io.pbftledger.chain.ReplicaRoster.DEFAULT_CHECKPOINT_INTERVAL), new VerifiedTransactions(100));
    }

    /** No transaction was refused at execution; tests of refusals replace it (@MockitoBean) or use a real store. */
    @Bean
    ClientMembershipStore clientMembershipStore() {
        return Mockito.mock(ClientMembershipStore.class);
    }
}
