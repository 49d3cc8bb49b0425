package io.pbftledger.api;

/**
 * Structure limits of a JSON request body, checked while streaming through it before anything is
 * bound, so a hostile body (deeply nested, one huge number, an object of a million properties, an
 * array of a million empty objects) costs one linear pass, holds no tree, and gets a precise
 * refusal. {@code maxArrayElements} bounds one array, {@code maxTokens} one transaction (a body
 * of one, or one item of a batch; the batch array itself is bounded by its item count).
 */
public record JsonLimits(int maxDepth, int maxStringLength, int maxNumberLength, int maxNameLength, int maxProperties,
                         int maxArrayElements, int maxTokens) {
    /**
     * No valid transaction breaks these: its canonical payload has at most 65,536 bytes, so at most
     * 32,768 array elements ({@code [0,0,...]}) and fewer than 45,000 tokens ({@code [[],[],...]}).
     */
    public static final JsonLimits DEFAULTS = new JsonLimits(32, 65_536, 64, 256, 1_000, 32_768, 65_536);

    public JsonLimits {
        if (maxDepth < 1 || maxStringLength < 1 || maxNumberLength < 1 || maxNameLength < 1 || maxProperties < 1
                || maxArrayElements < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("JSON limits must be positive");
        }
    }
}
