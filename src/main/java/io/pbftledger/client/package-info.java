/**
 * The Java client library of the ledger (plain Java: the JDK's HttpClient and Jackson, no Spring).
 * {@link io.pbftledger.client.LedgerClient} trusts only the membership (replica and client public keys):
 * a submission counts as committed once f+1 replicas sent matching signed confirmations or one replica
 * sent a proof that verifies, and every read is checked against a proof before it is returned.
 */
package io.pbftledger.client;
