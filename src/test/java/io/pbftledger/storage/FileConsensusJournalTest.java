package io.pbftledger.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileConsensusJournalTest {
    private static final Ed25519.PrivateKey KEY = Ed25519.PrivateKey.generate(new SecureRandom());
    private static final SigningDomain DOMAIN = new SigningDomain(Digest.sha256(new byte[] {1}));

    @TempDir
    Path dir;

    private static <T extends PbftMessage> Signed<? extends PbftMessage> signed(T m) {
        return new Signed<>(m, KEY.sign(MessageCodec.signingBytes(DOMAIN, m)));
    }

    private static List<Signed<? extends PbftMessage>> votes(long fromSeq, long toSeq) {
        List<Signed<? extends PbftMessage>> out = new ArrayList<>();
        for (long s = fromSeq; s <= toSeq; s++) {
            Digest d = Digest.sha256(new byte[] {(byte) s});
            out.add(signed(new Prepare(1, 0, s, d)));
            out.add(signed(new Commit(1, 0, s, d)));
        }
        return out;
    }

    @Test
    void appendedMessagesComeBackInOrderAfterReopening() {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            journal.append(votes(1, 3));
            journal.append(votes(4, 5));
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            assertThat(reopened.load()).isEqualTo(votes(1, 5));
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndLaterAppendsStayReadable() throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            journal.append(votes(1, 2));
        }
        long intact = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(intact);
            raw.write(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 9, 9}); // header of a record whose body never arrived
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            assertThat(reopened.sizeBytes()).isEqualTo(intact);
            reopened.append(votes(3, 3));
            assertThat(reopened.load()).isEqualTo(votes(1, 3));
        }
    }

    @Test
    void aCorruptedRecordEndsTheValidPrefix() throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            journal.append(votes(1, 1));
            journal.append(votes(2, 2));
        }
        long firstTwo;
        try (FileConsensusJournal j = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            firstTwo = j.sizeBytes() / 2;
        }
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(firstTwo + 20); // inside the second append's first record body
            raw.write(0xFF);
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            assertThat(reopened.load()).isEqualTo(votes(1, 1));
        }
    }

    @Test
    void compactionKeepsOnlyWhatThePredicateAcceptsAndSurvivesReopening() {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            journal.append(votes(1, 10));
            long before = journal.sizeBytes();
            journal.compact(m -> ((Prepare.class.isInstance(m.message()) ? ((Prepare) m.message()).sequence()
                    : ((Commit) m.message()).sequence()) > 7));
            assertThat(journal.sizeBytes()).isLessThan(before);
            journal.append(votes(11, 11));
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file, MessageCodec.Limits.DEFAULT)) {
            assertThat(reopened.load()).isEqualTo(votes(8, 11));
        }
    }
}
