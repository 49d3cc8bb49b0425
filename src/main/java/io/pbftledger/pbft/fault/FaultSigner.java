package io.pbftledger.pbft.fault;

/** Signs canonical signing bytes (domain included) with the faulty replica's own key (it has no other). */
@FunctionalInterface
public interface FaultSigner {
    byte[] sign(byte[] signingBytes);
}
