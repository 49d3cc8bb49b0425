-- Transactions a block holds but execution skipped because their (client_id, nonce) was executed
-- before: PBFT may order a request twice across view changes, and exactly-once is enforced at
-- execution (see chain.PriorExecution). They stay part of the block (its batch digest, Merkle root
-- and commit certificate cover them) but are kept apart from the executed ones, whose table enforces
-- one row per txId and per (client_id, nonce).
CREATE TABLE skipped_transactions (
    block_height BIGINT         NOT NULL,
    tx_index     INTEGER        NOT NULL,
    tx_id        CHAR(64)       NOT NULL,
    chain_id     VARCHAR(64)    NOT NULL,
    client_id    VARCHAR(64)    NOT NULL,
    nonce        BIGINT         NOT NULL,
    tx_key       VARCHAR(256),
    payload      VARCHAR(65536) NOT NULL,
    signature    BYTEA          NOT NULL,
    CONSTRAINT pk_skipped_transactions PRIMARY KEY (block_height, tx_index),
    CONSTRAINT fk_skipped_transactions_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);
