-- pbft-ledger schema, version 1. Runs unchanged on H2 2.4 and PostgreSQL 17, so it sticks to
-- types and syntax both share: BIGINT, INTEGER, CHAR, VARCHAR, BYTEA, TIMESTAMP WITH TIME ZONE.
-- Hashes and transaction ids are lowercase hex CHAR(64), readable by operators in a SQL shell;
-- Ed25519 signatures are raw 64-byte BYTEA. VALUE and KEY are reserved words in H2, hence the
-- column names state_value and tx_key.

CREATE TABLE blocks (
    height            BIGINT       NOT NULL,
    hash              CHAR(64)     NOT NULL,
    previous_hash     CHAR(64)     NOT NULL,
    timestamp_ms      BIGINT       NOT NULL,
    view_number       BIGINT       NOT NULL,
    sequence_number   BIGINT       NOT NULL,
    primary_id        INTEGER      NOT NULL,
    batch_digest      CHAR(64)     NOT NULL,
    transactions_root CHAR(64)     NOT NULL,
    state_hash        CHAR(64)     NOT NULL,
    transaction_count INTEGER      NOT NULL,
    CONSTRAINT pk_blocks PRIMARY KEY (height),
    CONSTRAINT uq_blocks_hash UNIQUE (hash)
);

-- The commit certificate: 2f+1 COMMIT signatures for the block's (view, sequence, batch digest).
-- The COMMIT itself is rebuilt from the block header, so only the signer and signature are kept.
CREATE TABLE commit_signatures (
    block_height BIGINT   NOT NULL,
    replica_id   INTEGER  NOT NULL,
    signature    BYTEA    NOT NULL,
    CONSTRAINT pk_commit_signatures PRIMARY KEY (block_height, replica_id),
    CONSTRAINT fk_commit_signatures_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);

-- Payloads are at most 64 KiB of UTF-8, so at most 65536 characters.
CREATE TABLE transactions (
    tx_id        CHAR(64)       NOT NULL,
    block_height BIGINT         NOT NULL,
    tx_index     INTEGER        NOT NULL,
    chain_id     VARCHAR(64)    NOT NULL,
    client_id    VARCHAR(64)    NOT NULL,
    nonce        BIGINT         NOT NULL,
    tx_key       VARCHAR(256),
    payload      VARCHAR(65536) NOT NULL,
    signature    BYTEA          NOT NULL,
    CONSTRAINT pk_transactions PRIMARY KEY (tx_id),
    CONSTRAINT uq_transactions_client_nonce UNIQUE (client_id, nonce),
    CONSTRAINT uq_transactions_position UNIQUE (block_height, tx_index),
    CONSTRAINT fk_transactions_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);

-- The latest value of every key.
CREATE TABLE world_state (
    state_key    VARCHAR(256)   NOT NULL,
    state_value  VARCHAR(65536) NOT NULL,
    block_height BIGINT         NOT NULL,
    tx_id        CHAR(64)       NOT NULL,
    CONSTRAINT pk_world_state PRIMARY KEY (state_key)
);

-- Every write ever made; a transaction writes at most one key, so (block, index) identifies it.
CREATE TABLE state_history (
    block_height BIGINT         NOT NULL,
    tx_index     INTEGER        NOT NULL,
    state_key    VARCHAR(256)   NOT NULL,
    state_value  VARCHAR(65536) NOT NULL,
    tx_id        CHAR(64)       NOT NULL,
    CONSTRAINT pk_state_history PRIMARY KEY (block_height, tx_index),
    CONSTRAINT fk_state_history_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);

-- Transactions by block height use uq_transactions_position (block_height leads it, and its
-- tx_index order is the block's order); a second index on block_height alone would only slow inserts.
-- A key's history newest first:
CREATE INDEX idx_state_history_key_height ON state_history (state_key, block_height DESC, tx_index DESC);

-- Stable PBFT checkpoints and their 2f+1 CHECKPOINT signatures (used by the checkpoint issue).
CREATE TABLE checkpoints (
    sequence     BIGINT                   NOT NULL,
    state_digest CHAR(64)                 NOT NULL,
    block_height BIGINT                   NOT NULL,
    created      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_checkpoints PRIMARY KEY (sequence)
);

CREATE TABLE checkpoint_signatures (
    sequence   BIGINT  NOT NULL,
    replica_id INTEGER NOT NULL,
    signature  BYTEA   NOT NULL,
    CONSTRAINT pk_checkpoint_signatures PRIMARY KEY (sequence, replica_id),
    CONSTRAINT fk_checkpoint_signatures_checkpoint FOREIGN KEY (sequence) REFERENCES checkpoints (sequence)
);
