package io.pbftledger.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.node.ConsensusJournal;
import io.pbftledger.node.CorruptJournalException;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.storage.FileConsensusJournal;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** A replica whose consensus journal is damaged before its end does not start, and says where. */
@ExtendWith(OutputCaptureExtension.class)
class CorruptJournalStartupTest {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.generate(new SecureRandom());
    static Path journalFile;

    @TempDir
    Path dir;

    @Configuration(proxyBeanMethods = false)
    static class JournalOnly {
        @Bean(destroyMethod = "close")
        ConsensusJournal consensusJournal() {
            return new FileConsensusJournal(journalFile);
        }
    }

    private static Signed<? extends PbftMessage> signed(PbftMessage m) {
        return new Signed<>(m, KEY.sign(MessageCodec.signingBytes(new io.pbftledger.pbft.message.SigningDomain(io.pbftledger.pbft.message.Digest.ZERO), m)));
    }

    @Test
    void aFlippedByteInTheMiddleOfTheJournalStopsTheReplicaAtStartNamingTheFileAndOffset(CapturedOutput output)
            throws Exception {
        journalFile = dir.resolve("consensus.wal");
        List<Signed<? extends PbftMessage>> votes = new ArrayList<>();
        for (long s = 1; s <= 4; s++) {
            votes.add(signed(new Prepare(1, 0, s, Digest.ZERO)));
            votes.add(signed(new Commit(1, 0, s, Digest.ZERO)));
        }
        try (FileConsensusJournal journal = new FileConsensusJournal(journalFile)) {
            journal.append(votes);
        }
        long third = Files.size(journalFile) / 8 * 2;
        try (RandomAccessFile raw = new RandomAccessFile(journalFile.toFile(), "rw")) {
            raw.seek(third + 40);
            raw.write(raw.readByte() ^ 0x10);
        }
        SpringApplication app = new SpringApplication(JournalOnly.class);
        app.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(app::run).hasRootCauseInstanceOf(CorruptJournalException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("The replica will not start: the consensus journal " + journalFile
                        + " is corrupt at byte offset " + third)
                .contains("7 readable records in the file reach view 0 and sequence 4")
                .contains("OPERATIONS.md")
                .doesNotContain("\tat ");
    }
}
