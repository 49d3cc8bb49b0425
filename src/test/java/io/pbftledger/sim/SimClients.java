package io.pbftledger.sim;

import io.pbftledger.pbft.message.ClientRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** The requests of simulated clients: unique (clientId, nonce), valid ids, random bodies and times. */
final class SimClients {
    record Request(String clientId, long nonce, ClientRequest request, long submitAtMs) {
    }

    private SimClients() {
    }

    static String clientId(int index) {
        return "client-" + index;
    }

    static List<Request> generate(SimConfig cfg, Random rnd) {
        long[] nextNonce = new long[cfg.clients()];
        List<Request> out = new ArrayList<>(cfg.requests());
        for (int i = 0; i < cfg.requests(); i++) {
            int client = rnd.nextInt(cfg.clients());
            String clientId = clientId(client);
            long nonce = nextNonce[client]++;
            byte[] body = new byte[1 + rnd.nextInt(cfg.bodyMaxBytes())];
            rnd.nextBytes(body);
            ClientRequest request = new ClientRequest(clientId, nonce, FakeCrypto.requestId(clientId, nonce, body), body);
            long at = cfg.submitUntilMs() * i / Math.max(1, cfg.requests()) + rnd.nextInt(10);
            out.add(new Request(clientId, nonce, request, at));
        }
        return out;
    }
}
