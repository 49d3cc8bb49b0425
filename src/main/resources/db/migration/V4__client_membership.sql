-- Client membership (issue 4, permissioning). The membership file's clients are the membership at
-- height 0; admin transactions (key ledger:membership) change it from then on. Everything here is
-- derived from executed blocks and written in the same database transaction as the block.

-- The client membership in effect after the newest block: one row per current client.
-- Roles are comma-separated labels in enum order (submit,read,admin); keys are base64 (44 chars).
CREATE TABLE clients (
    client_id    VARCHAR(64) NOT NULL,
    public_key   VARCHAR(44) NOT NULL,
    roles        VARCHAR(32) NOT NULL,
    since_height BIGINT      NOT NULL,
    CONSTRAINT pk_clients PRIMARY KEY (client_id)
);

-- Every change in order: op 'genesis' rows (height 0, one per file client, tx_index by client id,
-- no tx_id), then 'add' (key and roles), 'revoke' (neither) and 'roles' (roles) at the block that
-- executed them. Replaying the rows up to a height gives the membership after that block.
CREATE TABLE client_changes (
    block_height BIGINT      NOT NULL,
    tx_index     INTEGER     NOT NULL,
    tx_id        CHAR(64),
    op           VARCHAR(16) NOT NULL,
    client_id    VARCHAR(64) NOT NULL,
    public_key   VARCHAR(44),
    roles        VARCHAR(32),
    CONSTRAINT pk_client_changes PRIMARY KEY (block_height, tx_index),
    CONSTRAINT fk_client_changes_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);

-- Ordered transactions that execution refused (revoked or unpermitted client, invalid membership
-- change): they stay in their block and changed nothing.
CREATE TABLE transaction_refusals (
    tx_id        CHAR(64)     NOT NULL,
    block_height BIGINT       NOT NULL,
    tx_index     INTEGER      NOT NULL,
    client_id    VARCHAR(64)  NOT NULL,
    error_kind   VARCHAR(16)  NOT NULL,
    reason       VARCHAR(1024) NOT NULL,
    CONSTRAINT pk_transaction_refusals PRIMARY KEY (tx_id),
    CONSTRAINT fk_transaction_refusals_tx FOREIGN KEY (tx_id) REFERENCES transactions (tx_id)
);
