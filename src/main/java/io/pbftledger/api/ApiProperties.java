package io.pbftledger.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the REST API ({@code ledger.api.*}).
 *
 * @param requestBodyMaxBytes      largest accepted body of a single-transaction request (and any other API body)
 * @param batchRequestBodyMaxBytes largest accepted body of {@code POST /api/v1/transactions/batch}
 * @param reads                    {@code open} or {@code authenticated}: whether GETs under /api/v1 need a signed request
 * @param readTimestampSkewMs      largest difference between a signed read's timestamp and this replica's clock
 */
@ConfigurationProperties(prefix = "ledger.api")
public record ApiProperties(@DefaultValue("1048576") long requestBodyMaxBytes,
                            @DefaultValue("16777216") long batchRequestBodyMaxBytes,
                            @DefaultValue("open") ReadAccess reads,
                            @DefaultValue("300000") long readTimestampSkewMs) {
    /** Most a signed read's timestamp may differ from the replica's clock: one hour. */
    public static final long READ_TIMESTAMP_SKEW_MAX_MS = 3_600_000;

    @ConstructorBinding
    public ApiProperties {
        if (reads == null) {
            throw new IllegalArgumentException("ledger.api.reads must be open or authenticated");
        }
        if (readTimestampSkewMs < 1 || readTimestampSkewMs > READ_TIMESTAMP_SKEW_MAX_MS) {
            throw new IllegalArgumentException("ledger.api.read-timestamp-skew-ms must be between 1 and "
                    + READ_TIMESTAMP_SKEW_MAX_MS + ", got " + readTimestampSkewMs);
        }
        if (requestBodyMaxBytes < 1 || batchRequestBodyMaxBytes < 1) {
            throw new IllegalArgumentException("ledger.api request body limits must be at least 1 byte");
        }
        // The filter buffers a body in one array, so a limit must fit in one.
        if (requestBodyMaxBytes >= Integer.MAX_VALUE || batchRequestBodyMaxBytes >= Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ledger.api request body limits must be below 2 GiB");
        }
    }

    /** Body limits only; reads open. */
    public ApiProperties(long requestBodyMaxBytes, long batchRequestBodyMaxBytes) {
        this(requestBodyMaxBytes, batchRequestBodyMaxBytes, ReadAccess.OPEN, 300_000);
    }
}
