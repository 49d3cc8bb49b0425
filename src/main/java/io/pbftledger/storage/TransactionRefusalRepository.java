package io.pbftledger.storage;

import org.springframework.data.jpa.repository.JpaRepository;

interface TransactionRefusalRepository extends JpaRepository<TransactionRefusalEntity, String> {
}
