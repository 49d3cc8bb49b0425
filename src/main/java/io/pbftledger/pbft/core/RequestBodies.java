package io.pbftledger.pbft.core;

import io.pbftledger.pbft.message.ClientRequest;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.PrePrepare;
import io.pbftledger.pbft.message.Signed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * The transactions a replica holds when it enters a view, by request id: a NEW-VIEW carries its
 * pre-prepares as references (ids only, see {@link PrePrepare#withoutBodies()}), and each replica
 * gives them their transactions back from what it already has. Every transaction that reached the
 * core was checked by the driver (client signature, id), so one found here by id is the one the
 * primary's signature bound. A pre-prepare with any transaction missing stays a reference: it can
 * still be prepared and committed (votes name the digest only), and its committed batch is then
 * fetched from a peer that executed it ({@link Replica#catchUpTarget()}).
 */
final class RequestBodies {
    private final HashMap<Digest, ClientRequest> byId = new HashMap<>();

    void add(PrePrepare pp) {
        addAll(pp.batch());
    }

    void addAll(List<ClientRequest> requests) {
        for (ClientRequest r : requests) {
            if (!r.isReference()) {
                byId.putIfAbsent(r.id(), r);
            }
        }
    }

    /** {@code signed} with every transaction in place, or unchanged if one is missing here. */
    Signed<PrePrepare> restore(Signed<PrePrepare> signed) {
        PrePrepare pp = signed.message();
        if (pp.hasBodies()) {
            return signed;
        }
        List<ClientRequest> full = new ArrayList<>(pp.batch().size());
        for (ClientRequest r : pp.batch()) {
            ClientRequest known = r.isReference() ? byId.get(r.id()) : r;
            if (known == null) {
                return signed;
            }
            full.add(known);
        }
        PrePrepare restored = new PrePrepare(pp.replica(), pp.view(), pp.sequence(), pp.timestamp(),
                pp.batchDigest(), full);
        return new Signed<>(restored, signed.signature());
    }
}
