package io.pbftledger.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadConstraints;

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

    /** The replica-wide budget of request-body bytes held at once. */
    @Bean
    InFlightBodies inFlightBodies(ApiProperties properties) {
        return new InFlightBodies(properties.inFlightBodyMaxBytes());
    }

    /**
     * The application's own JSON mapper (Spring MVC's, for any body not read by {@link StrictJson})
     * parses within the same limits: nesting depth, string, number and name lengths and tokens of
     * {@code ledger.api.json-max-*}, and a document no longer than the largest accepted body.
     */
    @Bean
    JsonFactoryBuilderCustomizer apiStreamReadConstraints(ApiProperties properties) {
        StreamReadConstraints constraints = StreamReadConstraints.builder()
                .maxNestingDepth(properties.jsonMaxDepth())
                .maxStringLength(properties.jsonMaxStringLength())
                .maxNumberLength(properties.jsonMaxNumberLength())
                .maxNameLength(properties.jsonMaxNameLength())
                .maxTokenCount(properties.jsonMaxTokens())
                .maxDocumentLength(Math.max(properties.requestBodyMaxBytes(), properties.batchRequestBodyMaxBytes()))
                .build();
        return factory -> factory.streamReadConstraints(constraints);
    }

    /** Open block streams and those dropped because their reader stalled or fell behind. */
    @Bean
    MeterBinder blockStreamMetrics(ObjectProvider<BlockStreamController> streams) {
        return registry -> streams.ifAvailable(stream -> {
            Gauge.builder("pbft.api.block.streams", stream, BlockStreamController::subscriberCount)
                    .description("Open block streams (server-sent events), at most 64, 4 per client").register(registry);
            FunctionCounter.builder("pbft.api.block.streams.dropped", stream, BlockStreamController::droppedStreams)
                    .description("Block streams dropped because their reader did not take a write for 10 s or fell "
                            + "1000 blocks behind").register(registry);
        });
    }

    /** What the body budget holds and how often it was full. */
    @Bean
    MeterBinder inFlightBodyMetrics(InFlightBodies bodies) {
        return registry -> {
            Gauge.builder("pbft.api.body.in.flight", bodies, InFlightBodies::heldBytes).baseUnit("bytes")
                    .description("Bytes of API request bodies held now (at most ledger.api.in-flight-body-max-bytes)")
                    .register(registry);
            FunctionCounter.builder("pbft.api.body.budget.refused", bodies, InFlightBodies::refusedRequests)
                    .description("API requests refused with 503 because the request-body budget was full")
                    .register(registry);
        };
    }
}
