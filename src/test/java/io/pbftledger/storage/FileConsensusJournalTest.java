package io.pbftledger.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pbftledger.crypto.Ed25519;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.MessageFormatException;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.PreparedProof;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import io.pbftledger.pbft.message.SigningDomain;
import io.pbftledger.pbft.message.ViewChange;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
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

    private static Signed<? extends PbftMessage> prePrepare(long seq, int requests) {
        List<ClientRequest> batch = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            batch.add(new ClientRequest("client-" + i, seq, Digest.sha256(new byte[] {(byte) i, (byte) seq}),
                    new byte[] {1, 2, 3, (byte) i}));
        }
        return signed(new PrePrepare(0, 0, seq, 1_000 + seq, Digest.sha256(new byte[] {(byte) seq}), batch));
    }

    @SuppressWarnings("unchecked")
    private static Signed<? extends PbftMessage> viewChange(long fromSeq, long toSeq) {
        List<PreparedProof> prepared = new ArrayList<>();
        for (long s = fromSeq; s <= toSeq; s++) {
            Signed<PrePrepare> pp = (Signed<PrePrepare>) prePrepare(s, 3);
            prepared.add(new PreparedProof(((PrePrepare) pp.message()).withoutBodies() == pp.message() ? pp
                    : (Signed<PrePrepare>) signed(((PrePrepare) pp.message()).withoutBodies()),
                    List.of((Signed<Prepare>) signed(new Prepare(2, 0, s, pp.message().batchDigest())))));
        }
        return signed(new ViewChange(1, 1, 0, List.of(), prepared));
    }

    private static List<String> encoded(List<Signed<? extends PbftMessage>> messages) {
        List<String> out = new ArrayList<>();
        for (Signed<? extends PbftMessage> m : messages) {
            out.add(java.util.HexFormat.of().formatHex(MessageCodec.encode(m)));
        }
        return out;
    }

    /** The limits a replica's peer endpoint derives from ledger.batch.max-transactions and ledger.watermark-window. */
    private static MessageCodec.Limits settingsLimits(int batchMaxTransactions, long watermarkWindow) {
        return new MessageCodec.Limits((int) watermarkWindow + 4, batchMaxTransactions, 1 << 20, 1L << 30);
    }

    @Test
    void votesWrittenUnderHigherSettingsAllComeBackAfterTheSettingsAreLowered() {
        Path file = dir.resolve("consensus.wal");
        List<Signed<? extends PbftMessage>> written = new ArrayList<>();
        written.add(prePrepare(1, 500));           // a full batch under batch.max-transactions=500
        written.addAll(votes(1, 1));
        written.add(viewChange(1, 200));           // a view change over a window of 200
        written.addAll(votes(2, 3));
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(written);
        }
        // Restarted with ledger.batch.max-transactions=10 and ledger.watermark-window=20: its peers would
        // refuse these messages now, but the journal does not decode with the settings' limits.
        assertThatThrownBy(() -> MessageCodec.decode(MessageCodec.encode(written.get(0)), settingsLimits(10, 20)))
                .isInstanceOf(MessageFormatException.class);
        assertThatThrownBy(() -> MessageCodec.decode(MessageCodec.encode(written.get(3)), settingsLimits(10, 20)))
                .isInstanceOf(MessageFormatException.class);
        try (FileConsensusJournal reopened = new FileConsensusJournal(file)) {
            assertThat(encoded(reopened.load())).isEqualTo(encoded(written));
        }
    }

    @Test
    void aFlippedByteBeforeTheLastRecordStopsTheJournalFromOpeningWithTheFileAndOffset() throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 5));
        }
        long recordBytes = Files.size(file) / 10;
        long damagedRecord = 4 * recordBytes; // the fifth of ten records
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(damagedRecord + 30);
            raw.write(raw.readByte() ^ 0x01);
        }
        long before = Files.size(file);
        assertThatThrownBy(() -> new FileConsensusJournal(file).close())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + damagedRecord);
        assertThat(Files.size(file)).as("nothing is cut from a corrupt journal").isEqualTo(before);
    }

    @Test
    void aFlippedLengthBeforeTheLastRecordIsNotTakenForATornTail() throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 5));
        }
        long recordBytes = Files.size(file) / 10;
        long damagedRecord = 2 * recordBytes;
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(damagedRecord + 2); // the length now points past the end of the file
            raw.write(0x7f);
        }
        assertThatThrownBy(() -> new FileConsensusJournal(file).close())
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + damagedRecord);
    }

    @Test
    void aTornLastRecordIsCutWithAWarning(CapturedOutput output) throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 2));
            journal.append(votes(3, 3));
        }
        long full = Files.size(file);
        long lastRecord = full / 6 * 5;
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.setLength(full - 7); // the crash came in the middle of the last record
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file)) {
            List<Signed<? extends PbftMessage>> expected = new ArrayList<>(votes(1, 2));
            expected.add(votes(3, 3).get(0));
            assertThat(reopened.load()).isEqualTo(expected);
            assertThat(reopened.sizeBytes()).isEqualTo(lastRecord);
        }
        assertThat(output.getAll()).contains("WARN").contains(file.toString()).contains("offset " + lastRecord);
    }

    @Test
    void aRecordTheReaderWouldRefuseIsRefusedAtWriteAndNothingOfItsAppendIsWritten() {
        Path file = dir.resolve("consensus.wal");
        int recordMaxBytes = 4096;
        Signed<? extends PbftMessage> huge = prePrepare(2, 200); // about 17 KB
        assertThat(MessageCodec.encode(huge).length).isGreaterThan(recordMaxBytes);
        try (FileConsensusJournal journal = new FileConsensusJournal(file, recordMaxBytes)) {
            journal.append(votes(1, 1));
            long before = journal.sizeBytes();
            List<Signed<? extends PbftMessage>> append = new ArrayList<>(votes(2, 2));
            append.add(huge);
            assertThatThrownBy(() -> journal.append(append)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("record limit of " + recordMaxBytes);
            assertThat(journal.sizeBytes()).isEqualTo(before);
            assertThat(journal.load()).isEqualTo(votes(1, 1));
        }
    }

    @Test
    void appendedMessagesComeBackInOrderAfterReopening() {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 3));
            journal.append(votes(4, 5));
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file)) {
            assertThat(reopened.load()).isEqualTo(votes(1, 5));
        }
    }

    @Test
    void aTornLastRecordIsCutOffAndLaterAppendsStayReadable() throws Exception {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 2));
        }
        long intact = Files.size(file);
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(intact);
            raw.write(new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 9, 9}); // header of a record whose body never arrived
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file)) {
            assertThat(reopened.sizeBytes()).isEqualTo(intact);
            reopened.append(votes(3, 3));
            assertThat(reopened.load()).isEqualTo(votes(1, 3));
        }
    }

    @Test
    void compactionKeepsOnlyWhatThePredicateAcceptsAndSurvivesReopening() {
        Path file = dir.resolve("consensus.wal");
        try (FileConsensusJournal journal = new FileConsensusJournal(file)) {
            journal.append(votes(1, 10));
            long before = journal.sizeBytes();
            journal.compact(m -> ((Prepare.class.isInstance(m.message()) ? ((Prepare) m.message()).sequence()
                    : ((Commit) m.message()).sequence()) > 7));
            assertThat(journal.sizeBytes()).isLessThan(before);
            journal.append(votes(11, 11));
        }
        try (FileConsensusJournal reopened = new FileConsensusJournal(file)) {
            assertThat(reopened.load()).isEqualTo(votes(8, 11));
        }
    }
}
