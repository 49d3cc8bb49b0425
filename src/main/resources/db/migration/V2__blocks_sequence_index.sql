-- Each block has its own consensus sequence number (null requests make no block, so sequences may
-- skip, never repeat). The unique index backs the lookup of the block a checkpoint covers and makes
-- the database refuse a second block for one sequence.
CREATE UNIQUE INDEX idx_blocks_sequence ON blocks (sequence_number);
