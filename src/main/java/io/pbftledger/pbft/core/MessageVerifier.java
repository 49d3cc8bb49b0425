package io.pbftledger.pbft.core;

/**
 * Checks a signature by replica {@code replica} over canonical signing bytes (domain included). The
 * driver verifies every message before {@link Replica#step}; the core uses this only for the other
 * replicas' messages nested inside VIEW-CHANGE and NEW-VIEW proofs. Ed25519 verification is
 * deterministic, so the core stays a pure function of its inputs.
 */
@FunctionalInterface
public interface MessageVerifier {
    boolean verify(int replica, byte[] signingBytes, byte[] signature);

    /**
     * For a driver whose verifier stage checked every nested signature of a VIEW-CHANGE and NEW-VIEW
     * (and refused the message if one failed) before {@link Replica#step}: the core then spends no
     * signature check on the consensus thread. Only messages that passed that stage may reach a
     * replica built with it.
     */
    MessageVerifier CHECKED_BEFORE_STEP = (replica, bytes, signature) -> true;
}
