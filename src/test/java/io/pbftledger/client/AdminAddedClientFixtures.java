package io.pbftledger.client;

import io.pbftledger.chain.Block;
import io.pbftledger.chain.ClientIdentity;
import io.pbftledger.chain.Membership;
import io.pbftledger.chain.Role;
import io.pbftledger.chain.Transaction;
import io.pbftledger.crypto.Ed25519;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client an admin added after the membership file was written ("client-7", not in
 * {@link ClientFixtures#membership}), its transaction (nonce 5 writing greeting) committed in block 1,
 * and stand-in replicas that report a chosen key for it and answer truthfully about the transaction.
 */
public final class AdminAddedClientFixtures {
    public static final Ed25519.PrivateKey ADDED_KEY = ClientFixtures.key(70);
    public static final ClientIdentity ADDED = new ClientIdentity("client-7", ClientFixtures.CHAIN_ID, ADDED_KEY);
    public static final Transaction TX = ADDED.sign(5, "greeting", "{\"text\":\"hi\"}");
    /** The replicas' view, in which the admin op has executed. */
    public static final Membership WITH_ADDED = withAdded(ClientFixtures.membership());
    public static final Block BLOCK = ProofFixtures.firstBlock(WITH_ADDED, ClientFixtures.REPLICA_KEYS, List.of(TX), 0, 1, 2);

    public static Membership withAdded(Membership file) {
        List<Membership.Client> clients = new ArrayList<>(file.clients());
        clients.add(new Membership.Client(ADDED.clientId(), ADDED_KEY.publicKey(), Set.of(Role.SUBMIT, Role.READ)));
        return new Membership(file.chainId(), file.replicas(), clients);
    }

    /** The client membership a replica reports: the file's client-0, plus client-7 with {@code key} when not null. */
    public static StandInReplicas.Answer membershipWith(Ed25519.PublicKey key) {
        Map<String, Ed25519.PublicKey> clients = new LinkedHashMap<>();
        clients.put("client-0", ClientFixtures.CLIENT_KEY.publicKey());
        if (key != null) {
            clients.put(ADDED.clientId(), key);
        }
        return StandInReplicas.Answer.json(200, ProofJson.membershipAnswer(ClientFixtures.membership(), 4, clients));
    }

    /** Reports {@code key} for client-7 (null: no such client) and answers the submission truthfully. */
    public static StandInReplicas.Behaviour replica(int id, Ed25519.PublicKey key) {
        return new StandInReplicas.Behaviour() {
            @Override
            public StandInReplicas.Answer submit(int call) {
                return committed();
            }

            @Override
            public StandInReplicas.Answer status(int call) {
                return committed();
            }

            @Override
            public StandInReplicas.Answer proof(int call) {
                return StandInReplicas.Answer.json(200, ProofJson.stateProof(WITH_ADDED, BLOCK, 0, id,
                        ClientFixtures.REPLICA_KEYS.get(id)));
            }

            @Override
            public StandInReplicas.Answer membership(int call) {
                return membershipWith(key);
            }

            private StandInReplicas.Answer committed() {
                return StandInReplicas.Answer.json(200, ProofJson.committed(WITH_ADDED, TX, BLOCK.height(), BLOCK.hash(), 0,
                        id, ClientFixtures.REPLICA_KEYS.get(id)));
            }
        };
    }

    private AdminAddedClientFixtures() {
    }
}
