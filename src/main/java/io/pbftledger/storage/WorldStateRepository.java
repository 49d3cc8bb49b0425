package io.pbftledger.storage;

import org.springframework.data.jpa.repository.JpaRepository;

interface WorldStateRepository extends JpaRepository<WorldStateEntity, String> {
}
