package io.pbftledger.api;

/** OpenAPI examples of the membership endpoint and of membership transactions. */
final class MembershipExamples {
    static final String MEMBERSHIP = """
            {"chainId":"pbft-demo-1a2b3c","height":42,"replicas":[\
            {"id":0,"url":"http://127.0.0.1:8080","publicKey":"zLSy1+u7FsQG11sH1d5gbFu5nrTox8Hd3vms6KkXzMI="},\
            {"id":1,"url":"http://127.0.0.1:8081","publicKey":"1NkaIMC/rxOo2Z82ou6H7EFG+RaGt1GuMqb2p7th6cI="},\
            {"id":2,"url":"http://127.0.0.1:8082","publicKey":"8xqZ1eU4bQv0yq2s7c2bU8Zk1H9qJ0s3m3rj2sV6T0Q="},\
            {"id":3,"url":"http://127.0.0.1:8083","publicKey":"b3yW7cB6hQ2k9T1mF5xR8pZ0aN4sL6dJ2vG9eK1uY3I="}],\
            "clients":[\
            {"id":"admin-0","publicKey":"7CW411wESj+sveyPNRbDCiTOJ9DmROa2F44gmTriVVI=","roles":["submit","read","admin"],"since":0},\
            {"id":"client-7","publicKey":"6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=","roles":["submit","read"],"since":42}]}""";

    static final String PROBLEM_UNAUTHORIZED_READ = """
            {"type":"about:blank","title":"Unauthorized","status":401,\
            "detail":"X-Ledger-Timestamp is 412000 ms away from this replica's clock; at most 300000 ms is accepted (ledger.api.read-timestamp-skew-ms)",\
            "instance":"/api/v1/membership"}""";

    static final String PROBLEM_FORBIDDEN_READ = """
            {"type":"about:blank","title":"Forbidden","status":403,\
            "detail":"client 'client-9' lacks the read role","instance":"/api/v1/membership"}""";

    private MembershipExamples() {
    }
}
