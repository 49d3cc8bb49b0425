package io.pbftledger.storage;

import io.pbftledger.node.ConsensusJournal;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Signed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.CRC32C;

/**
 * {@link ConsensusJournal} in one append-only file. Each record is {@code u32 length | u32 CRC-32C
 * | MessageCodec.encode(message)}; one {@link #append} writes all its records and forces the file
 * to disk once (fdatasync), so the cost is one sync per Ready, not one per message. On open, a
 * torn or corrupt tail (a crash in the middle of an append) is cut off: those messages were never
 * acknowledged as durable, so they were never sent. Compaction writes a new file, syncs it and
 * atomically renames it over the old one. Not thread-safe: the consensus thread is its only user.
 */
public final class FileConsensusJournal implements ConsensusJournal {
    private static final int HEADER_BYTES = 8;
    private static final int RECORD_MAX_BYTES = 64 << 20;

    private final Path file;
    private final MessageCodec.Limits limits;
    private FileChannel channel;

    public FileConsensusJournal(Path file, MessageCodec.Limits limits) {
        this.file = file;
        this.limits = limits;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            this.channel = open(file);
            truncateTornTail();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the consensus journal " + file, e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void append(List<Signed<? extends PbftMessage>> messages) {
        if (messages.isEmpty()) {
            return;
        }
        try {
            channel.position(channel.size());
            for (Signed<? extends PbftMessage> message : messages) {
                write(channel, message);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the consensus journal " + file, e);
        }
    }

    private static void write(FileChannel target, Signed<? extends PbftMessage> message) throws IOException {
        byte[] body = MessageCodec.encode(message);
        CRC32C crc = new CRC32C();
        crc.update(body);
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + body.length);
        record.putInt(body.length).putInt((int) crc.getValue()).put(body).flip();
        while (record.hasRemaining()) {
            target.write(record);
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

    /** Reads valid records into {@code out} and returns the byte offset where the valid prefix ends. */
    @SuppressWarnings("unchecked")
    private long scan(List<Signed<? extends PbftMessage>> out) throws IOException {
        long size = channel.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        while (pos + HEADER_BYTES <= size) {
            header.clear();
            channel.read(header, pos);
            header.flip();
            int length = header.getInt();
            int expectedCrc = header.getInt();
            if (length <= 0 || length > RECORD_MAX_BYTES || pos + HEADER_BYTES + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            channel.read(body, pos + HEADER_BYTES);
            CRC32C crc = new CRC32C();
            crc.update(body.array());
            if ((int) crc.getValue() != expectedCrc) {
                break;
            }
            try {
                Signed<?> message = MessageCodec.decode(body.array(), limits);
                if (out != null) {
                    out.add((Signed<? extends PbftMessage>) message);
                }
            } catch (MessageFormatException e) {
                break;
            }
            pos += HEADER_BYTES + length;
        }
        return pos;
    }

    private void truncateTornTail() throws IOException {
        long valid = scan(null);
        if (valid < channel.size()) {
            channel.truncate(valid);
            channel.force(true);
        }
    }

    @Override
    public void compact(Predicate<Signed<? extends PbftMessage>> keep) {
        Path next = file.resolveSibling(file.getFileName() + ".compact");
        try {
            List<Signed<? extends PbftMessage>> all = load();
            try (FileChannel out = FileChannel.open(next, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (Signed<? extends PbftMessage> message : all) {
                    if (keep.test(message)) {
                        write(out, message);
                    }
                }
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
}
