package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key file is on disk before it takes its name, and its name is on disk after: the temporary file is
 * forced while the target still holds the old content, the directory after the rename. Keygen's key,
 * membership and TLS files are all written through it.
 */
class DurableFilesTest {
    @TempDir
    Path dir;

    /** Records each sync with what the target held at that moment. */
    private static final class Recording implements DurableFiles.Sync {
        final List<String> calls = new ArrayList<>();
        final Path target;

        Recording(Path target) {
            this.target = target;
        }

        @Override
        public void file(FileChannel channel, Path file) throws IOException {
            calls.add("file " + file.getFileName().toString().startsWith(".tmp-") + " size " + channel.size()
                    + " target " + targetContent());
        }

        @Override
        public void directory(Path dir) {
            calls.add("directory " + dir.equals(target.getParent()) + " target " + targetContent());
        }

        private String targetContent() {
            try {
                return Files.exists(target) ? Files.readString(target) : "absent";
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    @Test
    void theTemporaryFileIsForcedBeforeTheRenameAndTheDirectoryAfterIt() throws IOException {
        Path target = dir.resolve("replicas/replica-0.key").toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old");
        Recording sync = new Recording(target);

        new DurableFiles(sync).write(target, "new key".getBytes(StandardCharsets.UTF_8), DurableFiles.OWNER_ONLY);

        assertThat(sync.calls).containsExactly("file true size 7 target old", "directory true target new key");
        assertThat(Files.readString(target)).isEqualTo("new key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        try (var left = Files.list(target.getParent())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("replica-0.key");
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("membership.yml").toAbsolutePath();
        Files.writeString(target, "old");
        DurableFiles failing = new DurableFiles(new DurableFiles.Sync() {
            @Override
            public void file(FileChannel channel, Path file) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void directory(Path d) {
            }
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> failing.write(target, new byte[] {1}, DurableFiles.READABLE))
                .hasMessage("disk full");

        assertThat(Files.readString(target)).isEqualTo("old");
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("membership.yml");
        }
    }

    @Test
    void keygenLeavesOwnerOnlyKeysAndNoTemporaryFileBehind() throws IOException {
        io.pbftledger.cli.PbftLedgerCli.newCommandLine().execute("keygen", "--out", dir.toString());

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("replicas/replica-0.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("membership.yml"))))
                .isEqualTo("rw-r--r--");
        try (var files = Files.walk(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith(".tmp-"));
        }
    }
}
