package io.pbftledger.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the REST API ({@code ledger.api.*}).
 *
 * @param requestBodyMaxBytes      largest accepted body of a single-transaction request (and any other API body)
 * @param batchRequestBodyMaxBytes largest accepted body of {@code POST /api/v1/transactions/batch}
 */
@ConfigurationProperties(prefix = "ledger.api")
public record ApiProperties(@DefaultValue("1048576") long requestBodyMaxBytes,
                            @DefaultValue("16777216") long batchRequestBodyMaxBytes) {

    public ApiProperties {
        if (requestBodyMaxBytes < 1 || batchRequestBodyMaxBytes < 1) {
            throw new IllegalArgumentException("ledger.api request body limits must be at least 1 byte");
        }
        // The filter buffers a body in one array, so a limit must fit in one.
        if (requestBodyMaxBytes >= Integer.MAX_VALUE || batchRequestBodyMaxBytes >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ledger.api request body limits must be below 2 GiB");
        }
    }
}
