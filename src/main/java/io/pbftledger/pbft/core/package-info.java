/**
 * The PBFT core: a pure, deterministic state machine (messages and ticks in; messages, records to
 * persist, committed batches and timers out through {@link io.pbftledger.pbft.core.Ready}). No
 * threads, clocks, I/O or randomness; the driver in {@code io.pbftledger.node} runs it.
 *
 * <h2>Where each rule of the paper lives</h2>
 * Section numbers are those of Castro and Liskov, "Practical Byzantine Fault Tolerance", OSDI '99.
 * Certificate sizes come from {@link io.pbftledger.pbft.message.Quorums}: a quorum is ⌈(n+f+1)/2⌉
 * (2f+1 when n = 3f+1), and "2f" below means quorum − 1.
 * <table>
 *   <caption>Rules and their code</caption>
 *   <tr><th>Rule</th><th>Class and method</th></tr>
 *   <tr><td>Primary of view v: the (v mod |R|)-th member [4.1]</td><td>{@code ReplicaSet.primaryOf}</td></tr>
 *   <tr><td>Primary assigns n and multicasts PRE-PREPARE [4.2]</td><td>{@code Proposer.cutIfDue},
 *       {@code NormalCase.propose}</td></tr>
 *   <tr><td>Pre-prepare acceptance: signed by the view's primary, same view, not in a view change,
 *       no other digest accepted at (v, n), h &lt; n ≤ H [4.2]</td><td>{@code NormalCase.onPrePrepare},
 *       {@code NormalCase.checkViewAndWindow}; the batch itself: {@code BatchValidator.check}</td></tr>
 *   <tr><td>prepared(m, v, n, i): pre-prepare plus 2f matching PREPAREs from other backups [4.2]</td>
 *       <td>{@code Slot.isPrepared}</td></tr>
 *   <tr><td>committed-local(m, v, n, i): prepared plus 2f+1 matching COMMITs [4.2]</td>
 *       <td>{@code Slot.isCommittedLocal}, {@code NormalCase.advance}</td></tr>
 *   <tr><td>Execute in sequence order after every lower sequence [4.2]</td>
 *       <td>{@code NormalCase.deliverInOrder}</td></tr>
 *   <tr><td>Watermarks h, H = h + L [4.3]</td><td>{@code SequenceLog.inWindow},
 *       {@code SequenceLog.advanceLow}</td></tr>
 *   <tr><td>Checkpoint every K, stable with 2f+1 matching CHECKPOINTs; discard the log below it [4.3]</td>
 *       <td>{@code Replica.executed}, {@code CheckpointTracker.add}, {@code CheckpointTracker.newlyStable},
 *       {@code Replica.becomeStable}</td></tr>
 *   <tr><td>VIEW-CHANGE(v+1, n, C, P, i) when the timer expires [4.4]</td><td>{@code ViewChanger.start};
 *       P: {@code PreparedCertificates}</td></tr>
 *   <tr><td>Validity of a VIEW-CHANGE (checkpoint proof, prepared certificates) [4.4]</td>
 *       <td>{@code ProofChecker.checkpointDigest}, {@code ProofChecker.preparedValid}</td></tr>
 *   <tr><td>NEW-VIEW(v+1, V, O) once 2f+1 VIEW-CHANGEs arrived [4.4]</td><td>{@code ViewChanger.afterVote},
 *       {@code ViewChanger.choose}</td></tr>
 *   <tr><td>O: min-s, max-s, the batch prepared in the highest view or a null request [4.4]</td>
 *       <td>{@code NewViewBuilder.minS}, {@code NewViewBuilder.computeO}</td></tr>
 *   <tr><td>Backups check a NEW-VIEW by recomputing O [4.4]</td><td>{@code ViewChanger.validNewView}</td></tr>
 *   <tr><td>Entering the new view: O's pre-prepares, PREPAREs for them, h = min-s [4.4]</td>
 *       <td>{@code ViewEntry.enter}, {@code NormalCase.acceptFromNewView}</td></tr>
 *   <tr><td>Liveness: join the smallest view of f+1 higher VIEW-CHANGEs [4.5.2]</td>
 *       <td>{@code HigherViews.joinable}</td></tr>
 *   <tr><td>Liveness: a view change that does not complete in T starts v+2 with timeout 2T [4.5.2]</td>
 *       <td>{@code ViewTimer}, {@code ViewChanger.tick}</td></tr>
 * </table>
 *
 * <h2>Beyond the paper</h2>
 * These extensions keep the paper's safety argument and are documented where they live and in
 * docs/design.md:
 * <ul>
 *   <li>Timestamps bound to their predecessor, pre-prepares held until n−1 is settled
 *       ({@code NormalCase}, class comment).</li>
 *   <li>Request relay and the request timer (backups forward requests to the primary and time them):
 *       {@code RelayBuffer}, {@code ViewTimer}.</li>
 *   <li>Fair ordering of forwarded requests, per source: {@code FairQueue}.</li>
 *   <li>Retransmission, STATUS and the relayed PRE-PREPARE of a starved backup: {@code Retransmitter},
 *       {@code RetransmitTimeout}.</li>
 *   <li>Catch-up from a commit certificate: {@code Replica.catchUpTarget},
 *       {@code Replica.deliverCertified}, {@code CertifiedBatchCheck}.</li>
 *   <li>Request references instead of bodies in VIEW-CHANGE and NEW-VIEW: {@code RequestBodies}.</li>
 *   <li>Checkpoint vote quotas against flooding: {@code CheckpointTracker.add}.</li>
 *   <li>Assisted view changes for a replica alone in one: {@code ViewChanger.assistIfDue}.</li>
 *   <li>Adaptive batching and the proposal pipeline depth: {@code Proposer}.</li>
 *   <li>Recovery from the journal after a crash: {@code JournalReplay}.</li>
 *   <li>Replica sets of any size and epochs (changes of the set at a stable checkpoint, the vote
 *       gate, per-epoch views): {@code ReplicaSet}, {@code Epochs.voteLimit}, {@code Epochs.advance},
 *       {@code Replica.replicaSetChanged}, {@code ViewChanger.enterEpoch}.</li>
 * </ul>
 */
package io.pbftledger.pbft.core;
