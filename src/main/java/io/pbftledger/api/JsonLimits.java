package io.pbftledger.api;

/**
 * Structure limits of a JSON request body, checked while streaming through it before anything is
 * bound, so a hostile body (deeply nested, one huge number, an object of a million properties)
 * costs one linear pass and gets a precise refusal.
 */
public record JsonLimits(int maxDepth, int maxStringLength, int maxNumberLength, int maxNameLength, int maxProperties) {
    public static final JsonLimits DEFAULTS = new JsonLimits(32, 65_536, 64, 256, 1_000);

    public JsonLimits {
        if (maxDepth < 1 || maxStringLength < 1 || maxNumberLength < 1 || maxNameLength < 1 || maxProperties < 1) {
            throw new IllegalArgumentException("JSON limits must be positive");
        }
    }
}
