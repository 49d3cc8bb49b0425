package io.pbftledger.storage;

import io.pbftledger.node.ConsensusJournal;
import io.pbftledger.node.CorruptJournalException;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.NewView;
import io.pbftledger.pbft.message.OrderingMessage;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.ViewChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConsensusJournal} in one append-only file. Each record is {@code u32 length | u32 CRC-32C
 * of the body | body}, the body being {@code MessageCodec.encode(message)}; one {@link #append}
 * writes all its records with one gathering write and forces the file to disk once (fdatasync), so the cost is
 * one sync per Ready, not one per message. Compaction writes a new file, syncs it and atomically
 * renames it over the old one; a new file's directory is synced too.
 *
 * <p>Records are decoded with fixed journal limits ({@link #RECORD_MAX_BYTES}; every count and
 * request inside a record bounded only by the record's own bytes), never with the replica's current
 * settings, so lowering {@code ledger.batch.max-transactions} or {@code ledger.watermark-window}
 * between restarts never hides a record. The writer refuses a record the reader would refuse.
 *
 * <p>Recovery: only a torn last record (a crash in the middle of an append, which was never
 * acknowledged as durable, so its messages never left) is cut, with a WARN line. A record that is
 * damaged while a valid record follows it, or a record whose checksum holds but which does not
 * decode, is corruption: opening fails with a {@link CorruptJournalException} naming the file and
 * the byte offset, and nothing is cut. Not thread-safe: the consensus thread is its only user.
 */
public final class FileConsensusJournal implements ConsensusJournal {
    /**
     * The largest record body written or read: 1 GiB, the most a peer may be asked to accept in one
     * message, so any message valid settings allow fits (the startup check refuses settings whose
     * largest message would be larger).
     */
    public static final int RECORD_MAX_BYTES = 1 << 30;
    private static final Logger LOG = LoggerFactory.getLogger(FileConsensusJournal.class);
    private static final int HEADER_BYTES = 8;
    /** No encoded message is shorter than its 64-byte signature: shorter lengths are not records. */
    private static final int RECORD_MIN_BYTES = 64;

    private final Path file;
    private final int recordMaxBytes;
    private final MessageCodec.Limits limits;
    private FileChannel channel;

    public FileConsensusJournal(Path file) {
        this(file, RECORD_MAX_BYTES);
    }

    /** With a smaller record limit, for tests of the limit itself. */
    FileConsensusJournal(Path file, int recordMaxBytes) {
        this.file = file;
        this.recordMaxBytes = recordMaxBytes;
        this.limits = new MessageCodec.Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, recordMaxBytes, recordMaxBytes);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            boolean created = !Files.exists(file);
            this.channel = open(file);
            if (created) {
                channel.force(true);
                syncDirectory(dir); // the new file's directory entry is durable before anything is promised in it
            }
            truncateTornTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the consensus journal " + file, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Appends and syncs {@code messages}; refuses the whole append, writing nothing, if one of them
     * encodes to more than the reader accepts.
     */
    @Override
    public void append(List<Signed<? extends PbftMessage>> messages) {
        if (messages.isEmpty()) {
            return;
        }
        ByteBuffer[] records = records(messages);
        try {
            channel.position(channel.size());
            writeAll(channel, records);
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the consensus journal " + file, e);
        }
    }

    /** Header and body buffers of every record, in order; refuses them all if one is over the limit. */
    private ByteBuffer[] records(List<Signed<? extends PbftMessage>> messages) {
        ByteBuffer[] out = new ByteBuffer[2 * messages.size()];
        int i = 0;
        for (Signed<? extends PbftMessage> message : messages) {
            byte[] body = MessageCodec.encode(message);
            if (body.length > recordMaxBytes) {
                throw new IllegalArgumentException("a " + message.message().getClass().getSimpleName() + " of "
                        + body.length + " bytes exceeds the consensus journal's record limit of " + recordMaxBytes
                        + " bytes; nothing was written");
            }
            CRC32C crc = new CRC32C();
            crc.update(body);
            out[i++] = ByteBuffer.allocate(HEADER_BYTES).putInt(body.length).putInt((int) crc.getValue()).flip();
            out[i++] = ByteBuffer.wrap(body);
        }
        return out;
    }

    /** One gathering write (repeated only if the OS writes less). */
    private static void writeAll(FileChannel target, ByteBuffer[] buffers) throws IOException {
        long remaining = 0;
        for (ByteBuffer b : buffers) {
            remaining += b.remaining();
        }
        while (remaining > 0) {
            remaining -= target.write(buffers);
        }
    }

    @Override
    public List<Signed<? extends PbftMessage>> load() {
        List<Signed<? extends PbftMessage>> out = new ArrayList<>();
        try {
            scan(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the consensus journal " + file, e);
        }
        return out;
    }

    /**
     * Reads the records into {@code out} (if not null) and returns the byte offset where they end: the
     * file's size, or the start of a torn last record. Throws on corruption before the end.
     */
    @SuppressWarnings("unchecked")
    private long scan(List<Signed<? extends PbftMessage>> out) throws IOException {
        long size = channel.size();
        long pos = 0;
        Progress progress = new Progress();
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (pos < size) {
            if (size - pos < HEADER_BYTES) {
                return tornOrCorrupt(pos, size, "a header cut after " + (size - pos) + " bytes", progress);
            }
            header.clear();
            readFully(header, pos);
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            if (length < RECORD_MIN_BYTES || length > recordMaxBytes) {
                return tornOrCorrupt(pos, size, "a record length of " + length + " bytes", progress);
            }
            if (length > size - pos - HEADER_BYTES) {
                return tornOrCorrupt(pos, size, "a record of " + length + " bytes running past the end of the file",
                        progress);
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(body, pos + HEADER_BYTES);
            CRC32C crc = new CRC32C();
            crc.update(body.array());
            if ((int) crc.getValue() != expectedCrc) {
                return tornOrCorrupt(pos, size, "a record whose CRC-32C does not match", progress);
            }
            Signed<? extends PbftMessage> message;
            try {
                message = (Signed<? extends PbftMessage>) MessageCodec.decode(body.array(), limits);
            } catch (MessageFormatException e) {
                // Its checksum holds, so it was written whole: not a tear.
                throw corrupt(pos, "a complete record that does not decode (" + e.getMessage() + ")",
                        pos + HEADER_BYTES + length, size, progress);
            }
            progress.saw(message.message());
            if (out != null) {
                out.add(message);
            }
            pos += HEADER_BYTES + length;
        }
        return pos;
    }

    private void readFully(ByteBuffer target, long at) throws IOException {
        long pos = at;
        while (target.hasRemaining()) {
            int n = channel.read(target, pos);
            if (n < 0) {
                throw new IOException("unexpected end of " + file + " at byte " + pos);
            }
            pos += n;
        }
    }

    /**
     * The record at {@code pos} is damaged. It is a torn last record, cut by the caller, only if no
     * valid record starts anywhere after it; otherwise the journal is corrupt.
     */
    private long tornOrCorrupt(long pos, long size, String problem, Progress progress) throws IOException {
        long next = validRecordAfter(pos, size);
        if (next >= 0) {
            throw corrupt(pos, problem + ", followed by a valid record at byte offset " + next, next, size, progress);
        }
        return pos;
    }

    /**
     * The offset of the first record after {@code pos} whose length fits and whose CRC-32C matches,
     * or -1. Only a damaged journal is searched; a random match has odds of 2^-32 per offset.
     */
    private long validRecordAfter(long pos, long size) throws IOException {
        long from = pos + 1;
        if (size - from < HEADER_BYTES + RECORD_MIN_BYTES) {
            return -1;
        }
        MappedByteBuffer rest = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(size - from, Integer.MAX_VALUE));
        int limit = rest.limit();
        for (int at = 0; at + HEADER_BYTES + RECORD_MIN_BYTES <= limit; at++) {
            int length = rest.getInt(at);
            if (length < RECORD_MIN_BYTES || length > recordMaxBytes || length > limit - at - HEADER_BYTES) {
                continue;
            }
            CRC32C crc = new CRC32C();
            crc.update(rest.slice(at + HEADER_BYTES, length));
            if ((int) crc.getValue() == rest.getInt(at + 4)) {
                return from + at;
            }
        }
        return -1;
    }

    /**
     * The exception for damage at {@code pos}, after reading what it can from {@code resume} on, so
     * the operator learns the highest view and sequence of every readable record, after the damage too.
     */
    private CorruptJournalException corrupt(long pos, String problem, long resume, long size, Progress progress)
            throws IOException {
        long at = resume;
        while (at >= 0 && at + HEADER_BYTES <= size) {
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(header, at);
            int length = header.flip().getInt();
            int expectedCrc = header.getInt();
            Signed<?> message = null;
            if (length >= RECORD_MIN_BYTES && length <= recordMaxBytes && length <= size - at - HEADER_BYTES) {
                ByteBuffer body = ByteBuffer.allocate(length);
                readFully(body, at + HEADER_BYTES);
                CRC32C crc = new CRC32C();
                crc.update(body.array());
                if ((int) crc.getValue() == expectedCrc) {
                    try {
                        message = MessageCodec.decode(body.array(), limits);
                    } catch (MessageFormatException e) {
                        message = null;
                    }
                }
            }
            if (message != null) {
                progress.saw((PbftMessage) message.message());
                at += HEADER_BYTES + length;
            } else {
                at = validRecordAfter(at, size);
            }
        }
        return new CorruptJournalException(file, pos, problem + "; " + progress.describe());
    }

    private void truncateTornTail() throws IOException {
        long size = channel.size();
        long valid = scan(null);
        if (valid < size) {
            LOG.warn("the consensus journal {} ends with a torn record at byte offset {} ({} bytes, a crash in the "
                    + "middle of an append that was never acknowledged): cut off", file, valid, size - valid);
            channel.truncate(valid);
            channel.force(true);
        }
    }

    @Override
    public void compact(Predicate<Signed<? extends PbftMessage>> keep) {
        Path next = file.resolveSibling(file.getFileName() + ".compact");
        try {
            List<Signed<? extends PbftMessage>> kept = new ArrayList<>();
            for (Signed<? extends PbftMessage> message : load()) {
                if (keep.test(message)) {
                    kept.add(message);
                }
            }
            try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(out, records(kept));
                out.force(true);
            }
            channel.close();
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(file.toAbsolutePath().getParent());
            channel = open(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact the consensus journal " + file, e);
        }
    }

    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }

    @Override
    public long sizeBytes() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The highest view and sequence among the readable records, for the operator's corruption message. */
    private static final class Progress {
        private long records;
        private long view = -1;
        private long sequence = -1;

        void saw(PbftMessage m) {
            records++;
            if (m instanceof OrderingMessage o) {
                view = Math.max(view, o.view());
                sequence = Math.max(sequence, o.sequence());
            } else if (m instanceof ViewChange vc) {
                view = Math.max(view, vc.newView());
            } else if (m instanceof NewView nv) {
                view = Math.max(view, nv.view());
            }
        }

        String describe() {
            return records + " readable records in the file reach view " + Math.max(view, 0) + " and sequence "
                    + Math.max(sequence, 0);
        }
    }
}
