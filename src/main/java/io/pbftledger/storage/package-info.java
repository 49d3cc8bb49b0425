/**
 * JPA storage of the chain: Flyway-managed tables, entities and Spring Data repositories, and the
 * {@link io.pbftledger.storage.JpaLedgerStore} adapter that implements the chain's
 * {@link io.pbftledger.chain.BlockStore} and {@link io.pbftledger.chain.LedgerQueries} ports.
 * Entities and repositories are package-private: nothing outside this package sees them.
 */
package io.pbftledger.storage;
