package io.pbftledger.api;

/** OpenAPI examples of the membership endpoint and of membership transactions. */
final class MembershipExamples {
    static final String MEMBERSHIP = """
            {"chainId":"pbft-demo-1a2b3c","height":42,"replicas":[\
            {"id":0,"url":"http://127.0.0.1:8080","publicKey":"zLSy1+u7FsQG11sH1d5gbFu5nrTox8Hd3vms6KkXzMI=","sinceEpoch":0,"sinceHeight":0},\
            {"id":1,"url":"http://127.0.0.1:8081","publicKey":"1NkaIMC/rxOo2Z82ou6H7EFG+RaGt1GuMqb2p7th6cI=","sinceEpoch":0,"sinceHeight":0},\
            {"id":2,"url":"http://127.0.0.1:8082","publicKey":"8xqZ1eU4bQv0yq2s7c2bU8Zk1H9qJ0s3m3rj2sV6T0Q=","sinceEpoch":0,"sinceHeight":0},\
            {"id":3,"url":"http://127.0.0.1:8083","publicKey":"b3yW7cB6hQ2k9T1mF5xR8pZ0aN4sL6dJ2vG9eK1uY3I=","sinceEpoch":0,"sinceHeight":0}],\
            "clients":[\
            {"id":"admin-0","publicKey":"7CW411wESj+sveyPNRbDCiTOJ9DmROa2F44gmTriVVI=","roles":["submit","read","admin"],"since":0},\
            {"id":"client-7","publicKey":"6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=","roles":["submit","read"],"since":42}],\
            "epoch":0,"epochFirstSequence":1,"checkpointInterval":100,"pendingChange":null}""";

    static final String HISTORY = """
            {"chainId":"pbft-demo-1a2b3c","genesisHash":"9c2f4e6a8b0d1f3e5a7c9b1d3f5e7a9c0b2d4f6e8a1c3e5f7b9d0a2c4e6f8b1d",\
            "checkpointInterval":100,"genesis":[\
            {"id":0,"url":"http://127.0.0.1:8080","publicKey":"zLSy1+u7FsQG11sH1d5gbFu5nrTox8Hd3vms6KkXzMI=","sinceEpoch":0,"sinceHeight":0},\
            {"id":1,"url":"http://127.0.0.1:8081","publicKey":"1NkaIMC/rxOo2Z82ou6H7EFG+RaGt1GuMqb2p7th6cI=","sinceEpoch":0,"sinceHeight":0},\
            {"id":2,"url":"http://127.0.0.1:8082","publicKey":"8xqZ1eU4bQv0yq2s7c2bU8Zk1H9qJ0s3m3rj2sV6T0Q=","sinceEpoch":0,"sinceHeight":0},\
            {"id":3,"url":"http://127.0.0.1:8083","publicKey":"b3yW7cB6hQ2k9T1mF5xR8pZ0aN4sL6dJ2vG9eK1uY3I=","sinceEpoch":0,"sinceHeight":0}],\
            "changes":[{"epoch":1,"op":"add","replicaId":4,"url":"http://127.0.0.1:8084",\
            "publicKey":"5Qm2yJ0c8WvJq1v4t0dXvXo4b1mC9r2Gk5T3n7H8pLs=","height":57,"sequence":61,\
            "txId":"3f1c0b9e2d4a5b6c7d8e9f00112233445566778899aabbccddeeff0011223344","checkpoint":100,"inForce":true}],\
            "epoch":1}""";

    static final String PROBLEM_UNAUTHORIZED_READ = """
            {"type":"urn:pbft-ledger:problem:invalid-signature","title":"Unauthorized","status":401,\
            "detail":"X-Ledger-Timestamp is 412000 ms away from this replica's clock; at most 300000 ms is accepted (ledger.api.read-timestamp-skew-ms)",\
            "instance":"/api/v1/membership"}""";

    static final String PROBLEM_FORBIDDEN_READ = """
            {"type":"urn:pbft-ledger:problem:forbidden","title":"Forbidden","status":403,\
            "detail":"client 'client-9' lacks the read role","instance":"/api/v1/membership"}""";

    private MembershipExamples() {
    }
}
