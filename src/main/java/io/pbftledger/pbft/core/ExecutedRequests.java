package io.pbftledger.pbft.core;

/** Answers whether a request was executed in a committed block (backed by the database). */
public interface ExecutedRequests {
    boolean isExecuted(String clientId, long nonce);
}
