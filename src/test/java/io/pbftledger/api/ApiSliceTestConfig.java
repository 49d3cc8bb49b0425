package io.pbftledger.api;

import io.pbftledger.node.CheckpointStore;
import org.mockito.Mockito;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.ClientMembership;
import io.pbftledger.chain.ClientMembershipStore;
import io.pbftledger.node.ClientRegistry;
import io.pbftledger.node.VerifiedTransactions;
import java.util.List;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The context of the API's {@code @WebMvcTest}s: only the {@code api} package is scanned (the slice
 * filter still keeps just the web types), so other packages' beans cannot break these tests.
 *
 * <p>Deliberately neither {@code @Configuration} nor {@code @TestConfiguration}: given a test
 * configuration, Spring Boot would still add the application class and scan everything; and a
 * {@code @Configuration} would be picked up by application-wide scans in other packages' tests.
 * Named explicitly in {@code @ContextConfiguration}, a plain class with {@code @ComponentScan} and
 * {@code @Bean} methods is a configuration that no classpath scan finds.
 */
@ComponentScan(basePackageClasses = ApiWebConfig.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
class ApiSliceTestConfig {

    @Bean
    Membership membership() {
        return ApiFixtures.membership();
    }

    /** Tests of other endpoints need no checkpoints; CheckpointApiTest replaces it with a mock. */
    @Bean
    CheckpointStore checkpointStore() {
        return Mockito.mock(CheckpointStore.class);
    }

    @Bean
    io.pbftledger.node.EpochProofs epochProofs() {
        return Mockito.mock(io.pbftledger.node.EpochProofs.class);
    }

    /** This replica is replica 2 of the fixtures' membership; it signs its committed answers. */
    @Bean
    ReplyAttestor replyAttestor() {
        return new ReplyAttestor(ApiFixtures.membership(), ApiFixtures.REPLICA_KEYS.get(ApiFixtures.SELF), false);
    }

    @Bean
    List<ClientIdentity> demoClientIdentities() {
        return ApiFixtures.demoIdentities();
    }

    /** The membership file's clients, unchanged (the membership endpoint and read authentication ask it). */
    @Bean
    ClientRegistry clientRegistry(Membership membership) {
        return new ClientRegistry(ClientMembership.genesis(membership), new VerifiedTransactions(100));
    }

    /** No transaction was refused at execution; tests of refusals replace it (@MockitoBean) or use a real store. */
    @Bean
    ClientMembershipStore clientMembershipStore() {
        return Mockito.mock(ClientMembershipStore.class);
    }
}
