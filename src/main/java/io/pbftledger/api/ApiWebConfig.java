package io.pbftledger.api;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Beans of the REST API. A {@link WebMvcConfigurer} so that {@code @WebMvcTest} slices pick it up
 * together with the controllers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
public class ApiWebConfig implements WebMvcConfigurer {

    @Bean
    StrictJson apiStrictJson(ApiProperties properties) {
        return new StrictJson(properties.jsonLimits());
    }
}
