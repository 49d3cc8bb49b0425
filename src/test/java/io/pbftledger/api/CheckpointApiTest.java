package io.pbftledger.api;

import static io.pbftledger.api.MvcResults.perform;
import static io.pbftledger.api.MvcResults.problem;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.pbftledger.chain.LedgerQueries;
import io.pbftledger.node.CheckpointStore;
import io.pbftledger.node.LedgerService;
import io.pbftledger.node.StoredCheckpoint;
import io.pbftledger.pbft.message.Checkpoint;
import io.pbftledger.pbft.message.Digest;
import io.pbftledger.pbft.message.Signed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest
@ContextConfiguration(classes = ApiSliceTestConfig.class)
class CheckpointApiTest {
    @Autowired
    MockMvc mvc;
    @MockitoBean
    CheckpointStore checkpoints;
    @MockitoBean
    LedgerService ledger;
    @MockitoBean
    LedgerQueries queries;

    private static StoredCheckpoint checkpoint(long sequence) {
        Digest digest = Digest.sha256(new byte[] {(byte) sequence});
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            byte[] sig = new byte[64];
            sig[0] = (byte) (r + 1);
            proof.add(new Signed<>(new Checkpoint(r, sequence, digest), sig));
        }
        return new StoredCheckpoint(sequence, digest, sequence / 2, Instant.parse("2026-11-21T06:00:00Z"), proof);
    }

    @Test
    void theLatestStableCheckpointCarriesItsDigestHeightAndSignatures() throws Exception {
        StoredCheckpoint cp = checkpoint(200);
        when(checkpoints.latest()).thenReturn(Optional.of(cp));
        perform(mvc, get("/api/v1/checkpoints/latest"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sequence").value(200))
                .andExpect(jsonPath("$.stateDigest").value(cp.stateDigest().hex()))
                .andExpect(jsonPath("$.blockHeight").value(100))
                .andExpect(jsonPath("$.created").value("2026-11-21T06:00:00Z"))
                .andExpect(jsonPath("$.proof.length()").value(3))
                .andExpect(jsonPath("$.proof[2].replica").value(2))
                .andExpect(jsonPath("$.proof[2].signature").value(Base64.getEncoder().encodeToString(cp.proof().get(2).signature())));
    }

    @Test
    void recentCheckpointsAreListedNewestFirstWithinTheLimit() throws Exception {
        when(checkpoints.recent(2)).thenReturn(List.of(checkpoint(300), checkpoint(200)));
        perform(mvc, get("/api/v1/checkpoints?limit=2"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.checkpoints.length()").value(2))
                .andExpect(jsonPath("$.checkpoints[0].sequence").value(300));
        perform(mvc, get("/api/v1/checkpoints?limit=0")).andExpect(problem(400, "limit must be between 1 and 100, got 0"));
    }

    @Test
    void noStableCheckpointYetIs404() throws Exception {
        when(checkpoints.latest()).thenReturn(Optional.empty());
        perform(mvc, get("/api/v1/checkpoints/latest")).andExpect(problem(404, "no checkpoint is stable yet"));
    }
}
