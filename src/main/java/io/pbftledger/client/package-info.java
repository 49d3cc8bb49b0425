/**
 * The Java client library of the ledger (plain Java: the JDK's HttpClient and Jackson, no Spring).
 * {@link io.pbftledger.client.LedgerClient} trusts only the membership (replica and client public keys):
 * a submission counts as committed once f+1 replicas sent matching signed confirmations of its location
 * and outcome; a read is checked against a proof (which proves the ordering) and its location and
 * outcome against f+1 matching signed statements before it is returned.
 */
package io.pbftledger.client;
