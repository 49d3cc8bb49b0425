package io.pbftledger.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that after a crash or power loss it is either what it was or the whole new
 * content, never empty or torn: the bytes go to a temporary file beside it (created with its final
 * permissions, so a secret is never readable by others), which is forced to disk, renamed
 * atomically over the target, and then the directory is forced, so the rename itself is on disk.
 * Without the first sync a file system may persist the rename before the data (an empty key file
 * after a crash); without the second, the new name.
 */
public final class DurableFiles {
    /** Owner read and write only: for secrets. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Readable by everyone, writable by the owner. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    /** Syncing to the disk. */
    public static final DurableFiles DISK = new DurableFiles(new Sync() {
        @Override
        public void file(FileChannel channel, Path file) throws IOException {
            channel.force(true);
        }

        @Override
        public void directory(Path dir) {
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            } catch (IOException e) {
                // Some platforms cannot open or sync a directory; the rename is still atomic there.
            }
        }
    });

    /** How bytes are made durable; tests record the calls. */
    interface Sync {
        /** Forces {@code channel}, open on {@code file}, to disk. */
        void file(FileChannel channel, Path file) throws IOException;

        /** Forces the entries of {@code dir} to disk, where the platform can. */
        void directory(Path dir);
    }

    private final Sync sync;

    DurableFiles(Sync sync) {
        this.sync = sync;
    }

    /**
     * Replaces {@code target} with {@code bytes}, durably, with {@code permissions} where the file system
     * has POSIX permissions. A leftover temporary file (".tmp-" + name) is removed on failure.
     */
    public void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
        Path file = target.toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = posix
                ? Files.createTempFile(dir, ".tmp-", "-" + file.getFileName(), PosixFilePermissions.asFileAttribute(permissions))
                : Files.createTempFile(dir, ".tmp-", "-" + file.getFileName());
        try {
            if (posix) {
                // the umask may have narrowed what createTempFile was asked for
                Files.setPosixFilePermissions(tmp, permissions);
            }
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                sync.file(out, tmp);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            sync.directory(dir);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temporary file holds nothing that is not also in the target
                }
            }
        }
    }
}
