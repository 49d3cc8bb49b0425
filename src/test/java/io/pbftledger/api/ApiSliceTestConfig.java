package io.pbftledger.api;

import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import java.util.List;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * The context of the API's {@code @WebMvcTest}s: only the {@code api} package is scanned (the slice
 * filter still keeps just the web types), so other packages' beans cannot break these tests. Marked
 * as a test configuration so that application-wide scans in other tests skip it.
 */
@TestConfiguration(proxyBeanMethods = false)
@ComponentScan(basePackageClasses = ApiWebConfig.class,
        excludeFilters = @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class))
class ApiSliceTestConfig {

    @Bean
    Membership membership() {
        return ApiFixtures.membership();
    }

    @Bean
    List<ClientIdentity> demoClientIdentities() {
        return ApiFixtures.demoIdentities();
    }
}
