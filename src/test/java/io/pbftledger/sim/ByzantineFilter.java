package io.pbftledger.sim;

import io.pbftledger.pbft.message.BatchDigest;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Commit;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.MessageCodec;
import io.pbftledger.pbft.message.PbftMessage;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Prepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Turns what a faulty node's replica sends to one destination into what actually goes out. */
final class ByzantineFilter {
    private final Random rnd;
    private final int n;
    private final List<Signed<? extends PbftMessage>> history = new ArrayList<>();

    ByzantineFilter(Random rnd, int n) {
        this.rnd = rnd;
        this.n = n;
    }

    List<Signed<? extends PbftMessage>> outgoing(Behaviour behaviour, int from, int to,
            Signed<? extends PbftMessage> s) {
        switch (behaviour) {
            case SILENT:
                return List.of();
            case WRONG_DIGEST:
                return List.of(wrongDigest(from, s));
            case REPLAYER:
                return replay(s);
            case FORGER:
                return forge(from, s);
            case EQUIVOCATING_PRIMARY:
                return List.of(s.message() instanceof PrePrepare pp && to % 2 == 0 ? equivocate(from, pp) : s);
            default:
                return List.of(s);
        }
    }

    private static <T extends PbftMessage> Signed<T> resign(int signer, T m) {
        return new Signed<>(m, FakeCrypto.signature(signer, MessageCodec.signingBytes(m)));
    }

    private Signed<? extends PbftMessage> wrongDigest(int from, Signed<? extends PbftMessage> s) {
        Digest bogus = Digest.sha256(new byte[] {(byte) rnd.nextInt()});
        PbftMessage m = s.message();
        if (m instanceof Prepare p) {
            return resign(from, new Prepare(from, p.view(), p.sequence(), bogus));
        }
        if (m instanceof Commit c) {
            return resign(from, new Commit(from, c.view(), c.sequence(), bogus));
        }
        if (m instanceof Checkpoint c) {
            return resign(from, new Checkpoint(from, c.sequence(), bogus));
        }
        return s;
    }

    private List<Signed<? extends PbftMessage>> replay(Signed<? extends PbftMessage> s) {
        history.add(s);
        if (history.size() > 1_000) {
            history.remove(0);
        }
        List<Signed<? extends PbftMessage>> out = new ArrayList<>(List.of(s, s, s));
        out.add(history.get(rnd.nextInt(history.size())));
        return out;
    }

    private List<Signed<? extends PbftMessage>> forge(int from, Signed<? extends PbftMessage> s) {
        if (!(s.message() instanceof Commit c)) {
            return List.of(s);
        }
        int victim = (from + 1) % n;
        // A commit in the victim's name, signed with the forger's own key.
        Commit fake = new Commit(victim, c.view(), c.sequence(), Digest.sha256(new byte[] {1}));
        return List.of(s, new Signed<>(fake, FakeCrypto.signature(from, MessageCodec.signingBytes(fake))));
    }

    /** A different but well-formed batch for the same sequence: the requests in reverse order. */
    private static Signed<PrePrepare> equivocate(int from, PrePrepare pp) {
        List<ClientRequest> reversed = new ArrayList<>(pp.batch());
        java.util.Collections.reverse(reversed);
        if (reversed.size() < 2) {
            reversed = List.of();
        }
        Digest d = BatchDigest.ofRequests(pp.timestamp(), reversed);
        return resign(from, new PrePrepare(from, pp.view(), pp.sequence(), pp.timestamp(), d, reversed));
    }
}
