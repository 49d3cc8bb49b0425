/**
 * JPA storage of the chain: Flyway-managed tables, entities and Spring Data repositories, and the
 * {@link io.pbftledger.storage.JpaLedgerStore} adapter that implements the chain's
 * {@link io.pbftledger.chain.BlockStore} and {@link io.pbftledger.chain.LedgerQueries} ports.
 * Entities and repositories are package-private: nothing outside this package sees them. Blocks
 * are written with JDBC batches ({@link io.pbftledger.storage.BlockWriter}) and read through the
 * entities and repositories, which map the same columns.
 */
package io.pbftledger.storage;
