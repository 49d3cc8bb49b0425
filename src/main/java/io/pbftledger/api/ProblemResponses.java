package io.pbftledger.api;

/** Media types and descriptions shared by the OpenAPI annotations of the controllers. */
final class ProblemResponses {
    static final String JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";

    private ProblemResponses() {
    }
}
