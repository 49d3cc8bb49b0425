package io.pbftledger.api;

/**
 * Example bodies for the OpenAPI document. The transaction is really signed: its signature verifies
 * with {@link #EXAMPLE_CLIENT_PUBLIC_KEY} (the key of seed 32 x 0x07), which a test keeps true.
 */
final class ApiExamples {
    static final String EXAMPLE_CLIENT_PUBLIC_KEY = "6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=";
    static final String EXAMPLE_TX_ID = "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d";
    static final String EXAMPLE_BLOCK_HASH = "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c";

    static final String SIGNED_TRANSACTION = """
            {
              "chainId": "pbft-demo-1a2b3c",
              "clientId": "client-0",
              "nonce": 1,
              "key": "greeting",
              "payload": {"count": 1, "text": "hello, ledger"},
              "signature": "hF6jhjUApJ5lCodD0g5l09vWwbamTRO9kGc0OtzFAvT7bZxnDar4X81CuTbr09wEFd2K+9nt1lhY2x5YjO3WDQ=="
            }""";

    static final String BATCH = "[" + SIGNED_TRANSACTION + "]";

    static final String PENDING = """
            {"txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d", "status": "PENDING"}""";

    static final String COMMITTED = """
            {
              "txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
              "status": "COMMITTED",
              "blockHeight": 42,
              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
              "index": 0,
              "attestation": {"replica": 1, "height": 42,
                              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
                              "subject": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
                              "signature": "base64 of the replica's 64-byte Ed25519 signature"},
              "outcome": "EXECUTED"
            }""";

    /** Ordered, but execution refused it: the attestation signs statement kind 3, which binds the refusal. */
    static final String COMMITTED_REFUSED = """
            {
              "txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
              "status": "COMMITTED",
              "blockHeight": 42,
              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
              "index": 0,
              "attestation": {"replica": 1, "height": 42,
                              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
                              "subject": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
                              "signature": "base64 of the replica's 64-byte Ed25519 signature"},
              "outcome": "REFUSED",
              "refusal": {"kind": "FORBIDDEN", "reason": "client 'client-0' is not a member of this ledger"}
            }""";

    static final String BATCH_RESULTS = """
            [
              {"index": 0, "status": "ACCEPTED", "txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d"},
              {"index": 1, "status": "REJECTED",
               "problem": {"type": "urn:pbft-ledger:problem:invalid-signature", "title": "Unauthorized", "status": 401,
                           "detail": "signature does not verify with the public key of client 'client-0'"}}
            ]""";

    static final String TRANSACTION = """
            {
              "txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
              "status": "COMMITTED",
              "chainId": "pbft-demo-1a2b3c",
              "clientId": "client-0",
              "nonce": 1,
              "key": "greeting",
              "payload": {"count": 1, "text": "hello, ledger"},
              "signature": "hF6jhjUApJ5lCodD0g5l09vWwbamTRO9kGc0OtzFAvT7bZxnDar4X81CuTbr09wEFd2K+9nt1lhY2x5YjO3WDQ==",
              "blockHeight": 42,
              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
              "index": 0,
              "attestation": {"replica": 1, "height": 42,
                              "blockHash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
                              "subject": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
                              "signature": "base64 of the replica's 64-byte Ed25519 signature"},
              "outcome": "EXECUTED"
            }""";

    static final String PROBLEM_BAD_REQUEST = """
            {"type": "urn:pbft-ledger:problem:invalid-request", "title": "Bad Request", "status": 400,
             "detail": "unknown field 'amount'", "instance": "/api/v1/transactions"}""";

    static final String PROBLEM_UNAUTHORIZED = """
            {"type": "urn:pbft-ledger:problem:invalid-signature", "title": "Unauthorized", "status": 401,
             "detail": "signature does not verify with the public key of client 'client-0'", "instance": "/api/v1/transactions"}""";

    static final String PROBLEM_FORBIDDEN = """
            {"type": "urn:pbft-ledger:problem:unknown-client", "title": "Forbidden", "status": 403,
             "detail": "client 'client-9' is not a member of this ledger", "instance": "/api/v1/transactions"}""";

    static final String PROBLEM_NOT_FOUND = """
            {"type": "urn:pbft-ledger:problem:not-found", "title": "Not Found", "status": 404,
             "detail": "no committed transaction with txId fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
             "instance": "/api/v1/transactions/fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d"}""";

    static final String PROBLEM_CONFLICT = """
            {"type": "urn:pbft-ledger:problem:nonce-reused", "title": "Conflict", "status": 409,
             "detail": "nonce 1 of client 'client-0' was already used for a different transaction", "instance": "/api/v1/transactions"}""";

    static final String PROBLEM_TOO_LARGE = """
            {"type": "urn:pbft-ledger:problem:payload-too-large", "title": "Content Too Large", "status": 413,
             "detail": "request body exceeds 1048576 bytes (ledger.api.request-body-max-bytes)", "instance": "/api/v1/transactions"}""";

    static final String PROBLEM_MEMPOOL_FULL = """
            {"type": "urn:pbft-ledger:problem:mempool-full", "title": "Too Many Requests", "status": 429,
             "detail": "the mempool is full (10000 transactions); retry later", "instance": "/api/v1/transactions"}""";

    static final String BLOCK = """
            {
              "height": 42,
              "hash": "9b1c3d0e5f7a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c",
              "previousHash": "3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a",
              "timestamp": 1767225600000,
              "view": 0,
              "sequence": 42,
              "primary": 0,
              "batchDigest": "5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f",
              "transactionsRoot": "7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a",
              "stateHash": "1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e",
              "transactionCount": 1,
              "certificate": [
                {"replica": 0, "signature": "base64 of a 64-byte Ed25519 signature"},
                {"replica": 1, "signature": "base64 of a 64-byte Ed25519 signature"},
                {"replica": 2, "signature": "base64 of a 64-byte Ed25519 signature"}
              ]
            }""";

    static final String STATE = """
            {"key": "greeting", "value": {"count": 1, "text": "hello, ledger"}, "blockHeight": 42,
             "txId": "fa05a48f2fd394689573aa0654da3106eed79c49c20642f97a8fd427ebe4ec3d",
             "attestation": {"replica": 1, "height": 57,
                             "blockHash": "3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a",
                             "subject": "greeting", "signature": "base64 of the replica's 64-byte Ed25519 signature"}}""";

    static final String CONSENSUS = """
            {"replicaId": 0, "n": 4, "f": 1, "view": 0, "primary": 0, "status": "NORMAL", "lastExecutedSequence": 42,
             "height": 42, "lowWatermark": 0, "highWatermark": 200, "pendingTransactions": 3,
             "peers": [{"id": 1, "url": "http://127.0.0.1:8081", "reachable": true},
                       {"id": 2, "url": "http://127.0.0.1:8082", "reachable": true},
                       {"id": 3, "url": "http://127.0.0.1:8083", "reachable": false}]}""";

    static final String VERIFY_VALID = """
            {"valid": true, "height": 42, "checkedBlocks": 43}""";

    static final String DEMO_SIGN = """
            {"clientId": "client-1", "key": "greeting", "payload": {"text": "hello, ledger", "count": 1}}""";

    private ApiExamples() {
    }
}
