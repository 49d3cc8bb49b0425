package io.pbftledger.node;

import java.nio.file.Path;

/**
 * The consensus journal is damaged before its last record: replaying what is left would make the
 * replica forget messages it already sent, so it must not start. Names the file and the byte offset
 * of the first damaged record.
 */
public class CorruptJournalException extends RuntimeException {
    private final transient Path file;
    private final long offset;

    public CorruptJournalException(Path file, long offset, String problem) {
        super("the consensus journal " + file + " is corrupt at byte offset " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    public Path file() {
        return file;
    }

    public long offset() {
        return offset;
    }
}
