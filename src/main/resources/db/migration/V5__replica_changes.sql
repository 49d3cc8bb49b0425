-- Replica-set changes (key ledger:replicas). The membership file's replicas are epoch 0; each row
-- is one executed change, which started the next epoch. Replaying the rows up to a height on the
-- genesis set (with the configured checkpoint interval) gives the replica sets after that block.
-- Written in the same database transaction as the block that executed it.
CREATE TABLE replica_changes (
    block_height   BIGINT        NOT NULL,
    tx_index       INTEGER       NOT NULL,
    block_sequence BIGINT        NOT NULL,
    tx_id          CHAR(64)      NOT NULL,
    epoch          BIGINT        NOT NULL,
    op             VARCHAR(16)   NOT NULL,
    replica_id     INTEGER       NOT NULL,
    payload        VARCHAR(4096) NOT NULL,
    CONSTRAINT pk_replica_changes PRIMARY KEY (block_height, tx_index),
    CONSTRAINT uq_replica_changes_epoch UNIQUE (epoch),
    CONSTRAINT fk_replica_changes_block FOREIGN KEY (block_height) REFERENCES blocks (height)
);
