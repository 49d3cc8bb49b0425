package io.pbftledger.api;

import io.pbftledger.node.TokenBuckets;
import io.pbftledger.web.TrustedProxies;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the REST API ({@code ledger.api.*}).
 *
 * @param requestBodyMaxBytes      largest accepted body of a single-transaction request (and any other API body)
 * @param batchRequestBodyMaxBytes largest accepted body of {@code POST /api/v1/transactions/batch}
 * @param jsonMaxDepth             deepest nesting of objects and arrays in a JSON body (the body itself is depth 1)
 * @param jsonMaxStringLength      longest JSON string value, in characters
 * @param jsonMaxNumberLength      longest JSON number, in characters
 * @param jsonMaxNameLength        longest JSON property name, in characters
 * @param jsonMaxProperties        most properties of one JSON object
 * @param rateLimit                per-client and per-address rate limits
 * @param reads                    {@code open} or {@code authenticated}: whether GETs under /api/v1 need a signed request
 * @param readTimestampSkewMs      largest difference between a signed read's timestamp and this replica's clock
 * @param jsonMaxArrayElements     most elements of one JSON array (a batch's own array: 1000 transactions)
 * @param jsonMaxTokens            most JSON tokens of one transaction (the body, or one batch item)
 * @param inFlightBodyMaxBytes     most bytes of API request bodies this replica holds at once, over all
 *                                 requests; beyond, a request with a body is refused with 503 and Retry-After
 * @param trustedProxies           addresses and CIDR ranges of proxies whose X-Forwarded-For names the client
 *                                 for the bad-request limit (none by default: the TCP peer is the client)
 * @param streamHeartbeatMs        how often an open block stream gets a comment line when no block comes: a
 *                                 reader that went away is found (its write fails) and gives its slot back,
 *                                 and proxies see traffic on an idle stream
 */
@ConfigurationProperties(prefix = "ledger.api")
public record ApiProperties(long requestBodyMaxBytes,
                            long batchRequestBodyMaxBytes,
                            int jsonMaxDepth,
                            int jsonMaxStringLength,
                            int jsonMaxNumberLength,
                            int jsonMaxNameLength,
                            int jsonMaxProperties,
                            RateLimit rateLimit,
                            ReadAccess reads,
                            long readTimestampSkewMs,
                            int jsonMaxArrayElements,
                            int jsonMaxTokens,
                            long inFlightBodyMaxBytes,
                            List<String> trustedProxies,
                            long streamHeartbeatMs) {
    /** Most a signed read's timestamp may differ from the replica's clock: one hour. */
    public static final long READ_TIMESTAMP_SKEW_MAX_MS = 3_600_000;
    /** Default of {@code ledger.api.stream-heartbeat-ms}: below the idle timeouts of common proxies (60 s). */
    public static final long STREAM_HEARTBEAT_DEFAULT_MS = 15_000;

    @ConstructorBinding
    public ApiProperties(@DefaultValue("1048576") long requestBodyMaxBytes,
                         @DefaultValue("16777216") long batchRequestBodyMaxBytes,
                         @DefaultValue("32") int jsonMaxDepth,
                         @DefaultValue("65536") int jsonMaxStringLength,
                         @DefaultValue("64") int jsonMaxNumberLength,
                         @DefaultValue("256") int jsonMaxNameLength,
                         @DefaultValue("1000") int jsonMaxProperties,
                         @DefaultValue RateLimit rateLimit,
                         @DefaultValue("open") ReadAccess reads,
                         @DefaultValue("300000") long readTimestampSkewMs,
                         @DefaultValue("32768") int jsonMaxArrayElements,
                         @DefaultValue("65536") int jsonMaxTokens,
                         @DefaultValue("67108864") long inFlightBodyMaxBytes,
                         @DefaultValue List<String> trustedProxies,
                         @DefaultValue("15000") long streamHeartbeatMs) {
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
        if (jsonMaxDepth < 2 || jsonMaxStringLength < 100 || jsonMaxNumberLength < 20 || jsonMaxNameLength < 16
                || jsonMaxProperties < 8) {
            // Below these a valid transaction (6 fields, a 88-character signature, a 16-digit nonce) is refused.
            throw new IllegalArgumentException("ledger.api.json-max-* limits must be at least: depth 2, string length"
                    + " 100, number length 20, name length 16, properties 8");
        }
        if (jsonMaxArrayElements < 1 || jsonMaxTokens < 64) {
            // 64 tokens: a transaction's six fields with a small payload.
            throw new IllegalArgumentException("ledger.api.json-max-array-elements must be at least 1 and "
                    + "ledger.api.json-max-tokens at least 64");
        }
        if (inFlightBodyMaxBytes < Math.max(requestBodyMaxBytes, batchRequestBodyMaxBytes)) {
            throw new IllegalArgumentException("ledger.api.in-flight-body-max-bytes (" + inFlightBodyMaxBytes
                    + ") must be at least the largest body one request may have ("
                    + Math.max(requestBodyMaxBytes, batchRequestBodyMaxBytes) + " bytes), or that request never fits");
        }
        this.requestBodyMaxBytes = requestBodyMaxBytes;
        this.batchRequestBodyMaxBytes = batchRequestBodyMaxBytes;
        this.jsonMaxDepth = jsonMaxDepth;
        this.jsonMaxStringLength = jsonMaxStringLength;
        this.jsonMaxNumberLength = jsonMaxNumberLength;
        this.jsonMaxNameLength = jsonMaxNameLength;
        this.jsonMaxProperties = jsonMaxProperties;
        this.rateLimit = rateLimit == null ? RateLimit.DEFAULTS : rateLimit;
        this.reads = reads;
        this.readTimestampSkewMs = readTimestampSkewMs;
        this.jsonMaxArrayElements = jsonMaxArrayElements;
        this.jsonMaxTokens = jsonMaxTokens;
        if (streamHeartbeatMs < 100 || streamHeartbeatMs > 300_000) {
            throw new IllegalArgumentException("ledger.api.stream-heartbeat-ms must be between 100 and 300000, got "
                    + streamHeartbeatMs);
        }
        this.inFlightBodyMaxBytes = inFlightBodyMaxBytes;
        this.streamHeartbeatMs = streamHeartbeatMs;
        // Parsed once here so that a bad entry stops the replica at start, naming it.
        TrustedProxies.of(trustedProxies);
        this.trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** As the full constructor, with the array, token and in-flight limits at their defaults. */
    public ApiProperties(long requestBodyMaxBytes, long batchRequestBodyMaxBytes, int jsonMaxDepth,
                         int jsonMaxStringLength, int jsonMaxNumberLength, int jsonMaxNameLength, int jsonMaxProperties,
                         RateLimit rateLimit, ReadAccess reads, long readTimestampSkewMs) {
        this(requestBodyMaxBytes, batchRequestBodyMaxBytes, jsonMaxDepth, jsonMaxStringLength, jsonMaxNumberLength,
                jsonMaxNameLength, jsonMaxProperties, rateLimit, reads, readTimestampSkewMs, 32_768, 65_536,
                Math.max(67_108_864L, Math.max(requestBodyMaxBytes, batchRequestBodyMaxBytes)), List.of(),
                STREAM_HEARTBEAT_DEFAULT_MS);
    }

    /** Body limits as given, everything else at its default (reads open). */
    public ApiProperties(long requestBodyMaxBytes, long batchRequestBodyMaxBytes) {
        this(requestBodyMaxBytes, batchRequestBodyMaxBytes, ReadAccess.OPEN, 300_000);
    }

    /** Body limits and read access as given, everything else at its default. */
    public ApiProperties(long requestBodyMaxBytes, long batchRequestBodyMaxBytes, ReadAccess reads,
                         long readTimestampSkewMs) {
        this(requestBodyMaxBytes, batchRequestBodyMaxBytes, 32, 65536, 64, 256, 1000, RateLimit.DEFAULTS, reads,
                readTimestampSkewMs);
    }

    /** The JSON structure limits. */
    public JsonLimits jsonLimits() {
        return new JsonLimits(jsonMaxDepth, jsonMaxStringLength, jsonMaxNumberLength, jsonMaxNameLength, jsonMaxProperties,
                jsonMaxArrayElements, jsonMaxTokens);
    }

    /**
     * Rate limits ({@code ledger.api.rate-limit.*}); a rate of 0 turns that limit off.
     *
     * @param transactionsPerSecond      new transactions one client may add to this replica's mempool per second
     * @param burst                      how many it may add at once (the bucket's capacity)
     * @param pendingMaxPerClient        most transactions one client may have pending at this replica (250, a quarter
     *                                   of the default mempool: one flooding client leaves room for the others)
     * @param badRequestsPerSecondPerIp  refused API requests (4xx other than 404 and 429) one address may make per second
     * @param badRequestsBurstPerIp      how many it may make at once; beyond, all its API requests get 429
     * @param maxTrackedAddresses        most client addresses whose buckets are remembered (idle ones are forgotten)
     */
    public record RateLimit(@DefaultValue("1000") long transactionsPerSecond,
                            @DefaultValue("2000") long burst,
                            @DefaultValue("250") int pendingMaxPerClient,
                            @DefaultValue("100") long badRequestsPerSecondPerIp,
                            @DefaultValue("1000") long badRequestsBurstPerIp,
                            @DefaultValue("100000") int maxTrackedAddresses) {
        public static final RateLimit DEFAULTS = new RateLimit(1000, 2000, 250, 100, 1000, 100000);

        public RateLimit {
            if (transactionsPerSecond < 0 || badRequestsPerSecondPerIp < 0) {
                throw new IllegalArgumentException("ledger.api.rate-limit rates must be 0 (off) or more");
            }
            if ((transactionsPerSecond > 0 && burst < 1) || (badRequestsPerSecondPerIp > 0 && badRequestsBurstPerIp < 1)) {
                throw new IllegalArgumentException("ledger.api.rate-limit bursts must be at least 1 when the rate is on");
            }
            if (pendingMaxPerClient < 1 || maxTrackedAddresses < 1) {
                throw new IllegalArgumentException(
                        "ledger.api.rate-limit.pending-max-per-client and max-tracked-addresses must be at least 1");
            }
        }

        /** The per-client transaction limit. */
        public TokenBuckets.Limit transactions() {
            return transactionsPerSecond == 0 ? TokenBuckets.Limit.UNLIMITED
                    : new TokenBuckets.Limit(transactionsPerSecond, burst);
        }

        /** The per-address limit of refused requests. */
        public TokenBuckets.Limit badRequests() {
            return badRequestsPerSecondPerIp == 0 ? TokenBuckets.Limit.UNLIMITED
                    : new TokenBuckets.Limit(badRequestsPerSecondPerIp, badRequestsBurstPerIp);
        }
    }
}
