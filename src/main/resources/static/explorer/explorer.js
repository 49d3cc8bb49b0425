// The block explorer: plain browser JavaScript against this replica's public API, no build step.
"use strict";

const API = "/api/v1";
const LIST_MAX_BLOCKS = 25;
const CLUSTER_REFRESH_MS = 3000;
const RESUBSCRIBE_MS = 3000;

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v; else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

async function getJson(path) {
  const r = await fetch(API + path, { headers: { Accept: "application/json" } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) {
    if (r.status === 401 || r.status === 403) showAccessNotice(r.status, body.detail);
    throw new Error(body.detail || body.title || ("HTTP " + r.status));
  }
  return body;
}

// ---- closed reads (ledger.api.reads=authenticated) ----

// A browser cannot sign reads; it can only present a client certificate over HTTPS, so say how.
function showAccessNotice(status, detail) {
  const box = $("access");
  const closed = status === 401;
  box.replaceChildren(
    el("strong", {}, closed ? "Reads on this replica are closed (HTTP 401)." : "This client may not read here (HTTP 403)."),
    detail ? el("span", {}, " The replica says: " + detail) : null,
    el("p", {}, closed
      ? ["Open the explorer over https:// and import a client certificate into this browser: keygen --tls writes ",
         el("code", {}, "tls/client-<j>.p12"), " (its password is in ", el("code", {}, "tls/client-<j>.p12.password"),
         "), for a client with the read or admin role. Then restart the browser or reload; see README, \"Closed reads\"."]
      : "The certificate this browser presented names a client that is revoked, not a member, or lacks the read role. "
        + "Ask an admin for the read role, or restart the browser and choose another certificate."));
  box.hidden = false;
  const live = $("live");
  live.textContent = "reads closed";
  live.className = "live off";
}

const short = (hex) => hex ? hex.slice(0, 10) + "…" + hex.slice(-6) : "";
const time = (ms) => new Date(ms).toLocaleTimeString();
const link = (href, text) => el("a", { href }, text);

// ---- latest blocks, live ----

const shown = new Set();

function blockRow(b, fresh) {
  return el("tr", { class: fresh ? "fresh" : "", "data-height": b.height, onclick: () => { location.hash = "#/block/" + b.height; } },
    el("td", {}, link("#/block/" + b.height, "#" + b.height)),
    el("td", {}, b.transactionCount),
    el("td", { title: String(b.view) }, viewLabel(b.view)),
    el("td", { class: "mono" }, short(b.hash)),
    el("td", {}, b.height === 0 ? "genesis" : time(b.timestamp)));
}

function addBlock(b, fresh) {
  if (shown.has(b.height)) return;
  shown.add(b.height);
  const body = $("blocks");
  const rows = [...body.children];
  const before = rows.find((r) => Number(r.dataset.height) < b.height);
  body.insertBefore(blockRow(b, fresh), before || null);
  while (body.children.length > LIST_MAX_BLOCKS) {
    shown.delete(Number(body.lastChild.dataset.height));
    body.lastChild.remove();
  }
}

async function loadBlocks() {
  const page = await getJson("/blocks?limit=" + LIST_MAX_BLOCKS);
  page.blocks.forEach((b) => addBlock(b, false));
}

function subscribe() {
  const live = $("live");
  const source = new EventSource(API + "/blocks/stream");
  source.onopen = () => { live.textContent = "live"; live.className = "live on"; loadBlocks().catch(() => {}); };
  source.onerror = () => {
    // EventSource hides the status; once a read was refused, reconnecting will not help.
    if (!$("access").hidden) { source.close(); return; }
    live.textContent = "reconnecting…"; live.className = "live off";
    // After a dropped connection EventSource retries by itself; after an error answer (429 while this
    // address holds its share of streams, a replica restarting) it gives up, so start a new one.
    if (source.readyState === EventSource.CLOSED) setTimeout(subscribe, RESUBSCRIBE_MS);
  };
  source.addEventListener("block", (e) => addBlock(JSON.parse(e.data), true));
}

// ---- cluster ----

function replicaCard(r) {
  const state = !r.reachable ? "down" : r.status !== "NORMAL" ? "changing" : "";
  const facts = r.reachable
    ? [["view", viewLabel(r.view)], ["primary", r.primary], ["height", r.height], ["executed seq", r.lastExecutedSequence],
       ["stable checkpoint", r.stableCheckpoint], ["mempool", r.pendingTransactions]]
    : [["error", r.error || "unreachable"]];
  return el("div", { class: "replica " + state },
    el("div", { class: "name" },
      el("span", {}, "replica " + r.id, r.self ? " (this)" : ""),
      r.reachable && r.primary === r.id ? el("span", { class: "badge primary" }, "primary") : null),
    el("div", {}, r.reachable ? el("span", { class: "badge " + (r.status === "NORMAL" ? "ok" : "bad") }, r.status)
                              : el("span", { class: "badge bad" }, "unreachable")),
    el("dl", {}, facts.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
}

async function refreshCluster() {
  try {
    const c = await getJson("/cluster");
    $("cluster").replaceChildren(...c.replicas.map(replicaCard));
    $("cluster-age").textContent = "as seen by replica " + c.replicaId + " at " + new Date().toLocaleTimeString();
  } catch (e) {
    $("cluster-age").textContent = "unavailable: " + e.message;
  }
}

// ---- Merkle check (RFC 6962 shape, as io.pbftledger.crypto.MerkleTree) ----

const hexToBytes = (hex) => Uint8Array.from(hex.match(/../g) || [], (h) => parseInt(h, 16));
const bytesToHex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");

async function sha256(...parts) {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const all = new Uint8Array(len);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
}

async function merkleRoot(leaves) {
  if (leaves.length === 0) return sha256();
  const hashed = await Promise.all(leaves.map((l) => sha256(Uint8Array.of(0), l)));
  const subtree = async (from, to) => {
    if (to - from === 1) return hashed[from];
    let k = 1;
    while (k * 2 < to - from) k *= 2;
    return sha256(Uint8Array.of(1), await subtree(from, from + k), await subtree(from + k, to));
  };
  return subtree(0, hashed.length);
}

async function checkRoot(block, txs) {
  if (!window.crypto || !crypto.subtle) return el("span", { class: "hint" }, "needs a secure context (https or localhost)");
  const root = bytesToHex(await merkleRoot(txs.map((t) => hexToBytes(t.txId))));
  return root === block.transactionsRoot
    ? el("span", { class: "badge ok", id: "root-check" }, "✓ transactionsRoot matches the " + txs.length + " txIds (checked in this browser)")
    : el("span", { class: "badge bad", id: "root-check" }, "✗ transactionsRoot does not match: computed " + short(root));
}

// ---- commit certificate check (in this browser, as io.pbftledger.chain.ChainVerifier#certificateProblem) ----

const VIEWS_PER_EPOCH = 1e9; // ReplicaRoster.VIEWS_PER_EPOCH: epoch e's views are e·1e9 and up

// A view number names its epoch: epoch e's views are e·10⁹ + 0, 1, 2, ... Shown as "e2·v1" past epoch 0.
function viewLabel(view) {
  const epoch = Math.floor(view / VIEWS_PER_EPOCH);
  return epoch === 0 ? String(view) : "e" + epoch + "·v" + (view - epoch * VIEWS_PER_EPOCH);
}
const SIGNING_DOMAIN_TAG = new TextEncoder().encode("pbft-ledger/replica-signature/v1"); // 32 ASCII bytes
const PBFT_MAGIC = new TextEncoder().encode("PBFT");
const PROTOCOL_VERSION = 1;
const TYPE_COMMIT = 3;

const base64ToBytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

// The bytes a replica's COMMIT signature covers, as MessageCodec.signingBytes(SigningDomain, Commit)
// writes them (ByteWriter: big-endian, fixed widths), 122 bytes:
//   "pbft-ledger/replica-signature/v1" (32 ASCII) | genesis block hash (32)      <- signing domain
//   | "PBFT" (4 ASCII) | u8 version (=1) | u8 type (3 = COMMIT)                  <- header
//   | u32 replica | u64 view | u64 sequence | batchDigest (32)                   <- Commit fields
function commitSigningBytes(genesisHashHex, replica, view, sequence, batchDigestHex) {
  const genesis = hexToBytes(genesisHashHex), digest = hexToBytes(batchDigestHex);
  if (genesis.length !== 32 || digest.length !== 32) throw new Error("genesis hash and batch digest must be 32 bytes");
  const out = new Uint8Array(32 + 32 + 4 + 1 + 1 + 4 + 8 + 8 + 32);
  const w = new DataView(out.buffer);
  let at = 0;
  const put = (bytes) => { out.set(bytes, at); at += bytes.length; };
  put(SIGNING_DOMAIN_TAG); put(genesis); put(PBFT_MAGIC);
  w.setUint8(at++, PROTOCOL_VERSION); w.setUint8(at++, TYPE_COMMIT);
  w.setUint32(at, replica); at += 4;
  w.setBigUint64(at, BigInt(view)); at += 8;
  w.setBigUint64(at, BigInt(sequence)); at += 8;
  put(digest);
  return out;
}

// The replica sets by epoch, from the history: epoch 0 is the membership file's and orders from
// sequence 1; change i starts epoch i+1, ordering from its checkpoint + 1. Each set is the previous one
// with the change applied (the proof, where present, lists the same set; a difference is reported).
function epochsOf(history) {
  const copy = (r) => ({ id: r.id, url: r.url, publicKey: r.publicKey });
  const epochs = [{ epoch: 0, firstSequence: 1, replicas: history.genesis.map(copy), inForce: true }];
  for (const c of history.changes) {
    let replicas = epochs[epochs.length - 1].replicas.map(copy);
    if (c.op === "add") replicas.push({ id: c.replicaId, url: c.url, publicKey: c.publicKey });
    else if (c.op === "remove") replicas = replicas.filter((r) => r.id !== c.replicaId);
    else if (c.op === "rotate-key") replicas.forEach((r) => { if (r.id === c.replicaId) r.publicKey = c.publicKey; });
    else if (c.op === "set-url") replicas.forEach((r) => { if (r.id === c.replicaId) r.url = c.url; });
    replicas.sort((a, b) => a.id - b.id);
    const keysOf = (rs) => rs.map((r) => r.id + ":" + r.publicKey).sort().join(",");
    const mismatch = c.proof && keysOf(c.proof.replicas) !== keysOf(replicas);
    epochs.push({ epoch: c.epoch, firstSequence: c.checkpoint + 1, replicas, inForce: c.inForce, mismatch });
  }
  return epochs;
}

// The history, fetched once per page load; fetched again only when a block's view is of an epoch the
// cached copy does not know yet (a replica-set change took effect after the page was loaded).
let historyCache = null;
function replicaHistory(fresh) {
  if (!historyCache || fresh) {
    const loading = getJson("/membership/history").then((h) => ({ ...h, epochs: epochsOf(h) }));
    loading.catch(() => { if (historyCache === loading) historyCache = null; }); // a failed fetch is tried again
    historyCache = loading;
  }
  return historyCache;
}

const ed25519Keys = new Map();
function ed25519Key(base64) {
  if (!ed25519Keys.has(base64)) {
    ed25519Keys.set(base64, crypto.subtle.importKey("raw", base64ToBytes(base64), { name: "Ed25519" }, false, ["verify"]));
  }
  return ed25519Keys.get(base64);
}

async function verifyEd25519(publicKeyBase64, signatureBase64, data) {
  try {
    const signature = base64ToBytes(signatureBase64);
    if (signature.length !== 64) return false;
    return await crypto.subtle.verify({ name: "Ed25519" }, await ed25519Key(publicKeyBase64), signature, data);
  } catch (e) {
    if (e && e.name === "NotSupportedError") throw e;
    return false; // a malformed key or signature does not verify
  }
}

// Judges the block's certificate by the set that ordered its sequence. Answers { ok, problems, epoch,
// signers, quorum, n, perReplica: Map(replica -> true|false) }.
async function certificateVerdict(block, history) {
  const certificate = block.certificate || [];
  const ordering = history.epochs.filter((e) => e.firstSequence <= block.sequence).pop();
  const n = ordering.replicas.length, f = Math.floor((n - 1) / 3), quorum = Math.ceil((n + f + 1) / 2);
  const verdict = { ok: false, problems: [], epoch: ordering.epoch, n, quorum, signers: [], perReplica: new Map() };
  const viewEpoch = Math.floor(block.view / VIEWS_PER_EPOCH);
  if (viewEpoch !== ordering.epoch) {
    verdict.problems.push("view " + block.view + " is of epoch " + viewEpoch + ", not in epoch " + ordering.epoch
      + " that orders sequence " + block.sequence);
  }
  if (ordering.mismatch) verdict.problems.push("the history's proof of epoch " + ordering.epoch + " lists another replica set");
  const signers = new Set();
  for (const c of certificate) {
    const member = ordering.replicas.find((r) => r.id === c.replica);
    if (!member) {
      verdict.perReplica.set(c.replica, false);
      verdict.problems.push("replica " + c.replica + " is not a member of epoch " + ordering.epoch);
      continue;
    }
    const bytes = commitSigningBytes(history.genesisHash, c.replica, block.view, block.sequence, block.batchDigest);
    const good = await verifyEd25519(member.publicKey, c.signature, bytes);
    verdict.perReplica.set(c.replica, good);
    if (good) signers.add(c.replica); // a replica counts once, however often it signs
    else verdict.problems.push("the signature of replica " + c.replica + " does not verify with its key in epoch " + ordering.epoch);
  }
  verdict.signers = [...signers].sort((a, b) => a - b);
  if (signers.size < quorum) {
    verdict.problems.push("too few signers: " + signers.size + " distinct valid signatures, " + quorum + " of " + n + " needed");
  }
  verdict.ok = verdict.problems.length === 0;
  return verdict;
}

async function checkCertificate(block) {
  if (block.height === 0) return { node: el("span", { class: "hint", id: "cert-check" }, "genesis: no certificate, its hash is the chain's signing domain") };
  if (!window.crypto || !crypto.subtle) return { node: el("span", { class: "hint", id: "cert-check" }, "certificate check needs a secure context (https or localhost)") };
  try {
    let history = await replicaHistory(false);
    const lastEpoch = history.epochs[history.epochs.length - 1].epoch;
    if (Math.floor(block.view / VIEWS_PER_EPOCH) > lastEpoch) history = await replicaHistory(true);
    if (!history.genesisHash) throw new Error("this replica's history names no genesisHash");
    const v = await certificateVerdict(block, history);
    const node = v.ok
      ? el("span", { class: "badge ok", id: "cert-check" }, "✓ certificate verified in this browser: replicas ["
          + v.signers.join(", ") + "] of epoch " + v.epoch + " (" + v.quorum + " of " + v.n + ")")
      : el("div", { class: "cert-bad bad", id: "cert-check" },
          el("strong", {}, "✗ certificate does not verify against epoch " + v.epoch + " (" + v.quorum + " of " + v.n + " needed)"),
          el("ul", {}, v.problems.map((p) => el("li", {}, p))));
    return { node, perReplica: v.perReplica };
  } catch (e) {
    const unsupported = e && e.name === "NotSupportedError";
    return { node: el("span", { class: unsupported ? "hint" : "badge bad", id: "cert-check" },
      unsupported ? "this browser cannot verify Ed25519 signatures" : "certificate not checked: " + e.message) };
  }
}

// ---- detail views ----

// The outcome at a transaction's position. el() appends strings as text nodes, so a refusal's reason
// is shown as text and never parsed as markup.
function outcomeBadge(x) {
  if (x.outcome === "REFUSED") {
    const r = x.refusal || {};
    return el("span", { class: "badge bad outcome", title: (r.kind || "refused") + ": ordered, but refused at execution; it changed nothing" },
      "refused: " + (r.reason || r.kind || "no reason stored"));
  }
  if (x.outcome === "SKIPPED") {
    return el("span", { class: "badge skipped outcome", title: "ordered again: its (clientId, nonce) ran at an earlier position; this copy changed nothing" },
      "skipped");
  }
  if (x.outcome === "EXECUTED") return el("span", { class: "badge ok outcome" }, "executed");
  return null;
}

function kv(pairs) {
  return el("dl", { class: "kv" }, pairs.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

async function showBlock(height) {
  const [b, t] = await Promise.all([getJson("/blocks/" + height), getJson("/blocks/" + height + "/transactions")]);
  const check = el("div", { class: "check" }, el("span", { class: "hint" }, "checking…"));
  const certCheck = el("div", { class: "check cert" }, el("span", { class: "hint" }, "checking the certificate…"));
  const certRows = (b.certificate || []).map((c) => [c, el("tr", {}, el("td", {}, c.replica),
    el("td", { class: "mono" }, c.signature.slice(0, 44) + "…"), el("td", {}))]);
  $("detail").replaceChildren(
    el("h2", { id: "block-title" }, "Block #" + b.height),
    kv([["hash", el("code", {}, b.hash)],
        ["previous", b.height > 0 ? link("#/block/" + (b.height - 1), el("code", {}, b.previousHash)) : el("code", {}, b.previousHash)],
        ["time", new Date(b.timestamp).toISOString()], ["view / sequence", (b.view >= VIEWS_PER_EPOCH ? viewLabel(b.view) + " (" + b.view + ")" : b.view) + " / " + b.sequence],
        ["primary", b.primary], ["batch digest", el("code", {}, b.batchDigest)],
        ["transactions root", el("code", {}, b.transactionsRoot)], ["state hash", el("code", {}, b.stateHash)]]),
    check,
    el("h3", {}, "Transactions (" + t.transactions.length + ")"),
    t.transactions.length === 0 ? el("p", { class: "hint" }, "none") :
      el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "#"), el("th", {}, "txId"), el("th", {}, "client"),
                                                 el("th", {}, "nonce"), el("th", {}, "key"), el("th", {}, "outcome"))),
        el("tbody", { id: "block-txs" }, t.transactions.map((x) => el("tr", { onclick: () => { location.hash = "#/tx/" + x.txId; } },
          el("td", {}, x.index), el("td", { class: "mono" }, link("#/tx/" + x.txId, short(x.txId))),
          el("td", {}, x.clientId), el("td", {}, x.nonce), el("td", {}, x.key ?? "—"),
          el("td", { class: "outcome-cell" }, outcomeBadge(x)))))),
    el("h3", {}, "Commit certificate (" + (b.certificate || []).length + " signed COMMITs)"),
    certCheck,
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "replica"), el("th", {}, "Ed25519 signature"), el("th", {}, ""))),
      el("tbody", { id: "block-certificate" }, certRows.map(([, row]) => row))));
  const [root, cert] = await Promise.all([checkRoot(b, t.transactions), checkCertificate(b)]);
  check.replaceChildren(root);
  certCheck.replaceChildren(cert.node);
  for (const [c, row] of certRows) {
    const good = cert.perReplica && cert.perReplica.get(c.replica);
    if (good === undefined) continue;
    row.classList.add(good ? "sig-ok" : "sig-bad");
    row.lastChild.replaceChildren(el("span", { class: "badge " + (good ? "ok" : "bad") }, good ? "✓ verifies" : "✗ fails"));
  }
}

async function showTransaction(txId) {
  const x = await getJson("/transactions/" + txId);
  const pairs = [["txId", el("code", {}, x.txId)], ["status", x.status], ["client", x.clientId], ["nonce", x.nonce],
    ["key", x.key ? link("#/state/" + encodeURIComponent(x.key), x.key) : "—"]];
  if (x.status === "COMMITTED") {
    pairs.push(["block", link("#/block/" + x.blockHeight, "#" + x.blockHeight)], ["index", x.index],
      ["outcome", el("span", { id: "tx-outcome" }, outcomeBadge(x) ?? "—")]);
  }
  const check = el("div", { class: "check" });
  $("detail").replaceChildren(el("h2", {}, "Transaction"), kv(pairs), check,
    el("h3", {}, "Payload"), el("pre", {}, JSON.stringify(x.payload, null, 2)),
    el("h3", {}, "Signature"), el("code", {}, x.signature));
  if (x.status === "COMMITTED") {
    const [b, t] = await Promise.all([getJson("/blocks/" + x.blockHeight), getJson("/blocks/" + x.blockHeight + "/transactions")]);
    const included = t.transactions.some((o) => o.txId === x.txId);
    check.replaceChildren(included ? await checkRoot(b, t.transactions) : el("span", { class: "badge bad" }, "not in its block"));
  }
}

async function showState(key) {
  const [s, h] = await Promise.all([getJson("/state/" + encodeURIComponent(key)),
    getJson("/state/" + encodeURIComponent(key) + "/history").catch(() => ({ history: [] }))]);
  $("detail").replaceChildren(el("h2", {}, "State: " + s.key),
    kv([["written in", link("#/block/" + s.blockHeight, "#" + s.blockHeight)], ["by", link("#/tx/" + s.txId, short(s.txId))]]),
    el("h3", {}, "Value"), el("pre", {}, JSON.stringify(s.value, null, 2)),
    el("h3", {}, "History"),
    el("table", {}, el("tbody", {}, (h.history || []).map((v) => el("tr", {},
      el("td", {}, link("#/block/" + v.blockHeight, "#" + v.blockHeight)), el("td", { class: "mono" }, JSON.stringify(v.value)))))));
}

// ---- replica sets ----

function replicaRow(r) {
  return el("tr", {}, el("td", {}, String(r.id)), el("td", { class: "mono" }, r.url),
    el("td", { class: "mono" }, short(r.publicKey)), el("td", {}, "epoch " + r.sinceEpoch),
    el("td", {}, r.sinceHeight === 0 ? "membership file" : link("#/block/" + r.sinceHeight, "#" + r.sinceHeight)));
}

function changeRow(c) {
  const what = c.op + " replica " + c.replicaId;
  const detail = [c.url, c.publicKey ? "key " + short(c.publicKey) : null].filter(Boolean).join(", ");
  return el("tr", {}, el("td", {}, String(c.epoch)),
    el("td", { title: detail }, what, detail ? el("div", { class: "mono hint" }, detail) : null),
    el("td", {}, link("#/block/" + c.height, "#" + c.height)), el("td", {}, String(c.checkpoint)),
    el("td", {}, el("span", { class: "badge " + (c.inForce ? "ok" : "bad") }, c.inForce ? "in force" : "pending")));
}

async function showMembership() {
  const [m, h] = await Promise.all([getJson("/membership"), getJson("/membership/history")]);
  $("detail").replaceChildren(
    el("h2", {}, "Replica set, epoch " + m.epoch),
    kv([["replicas", m.replicas.length], ["orders from sequence", m.epochFirstSequence],
        ["checkpoint interval", m.checkpointInterval],
        ["pending change", m.pendingChange ? m.pendingChange.op + " replica " + m.pendingChange.replicaId
          + " after checkpoint " + m.pendingChange.checkpoint : "none"]]),
    el("table", { id: "replica-set" }, el("thead", {}, el("tr", {}, ["Id", "URL", "Key", "Member since", "Added in"]
      .map((t) => el("th", {}, t)))), el("tbody", {}, m.replicas.map(replicaRow))),
    el("h3", {}, "Changes"),
    h.changes.length === 0 ? el("p", { class: "hint" }, "The replicas of the membership file, unchanged.")
      : el("table", { id: "replica-history" }, el("thead", {}, el("tr", {}, ["Epoch", "Change", "Block", "Checkpoint", ""]
          .map((t) => el("th", {}, t)))), el("tbody", {}, h.changes.map(changeRow))));
}

async function route() {
  if (location.hash === "#/membership") {
    try {
      await showMembership();
    } catch (e) {
      $("detail").replaceChildren(el("p", { class: "error" }, e.message));
    }
    return;
  }
  const [, kind, arg] = location.hash.match(/^#\/(block|tx|state)\/(.+)$/) || [];
  try {
    if (kind === "block") await showBlock(Number(arg));
    else if (kind === "tx") await showTransaction(arg);
    else if (kind === "state") await showState(decodeURIComponent(arg));
  } catch (e) {
    $("detail").replaceChildren(el("p", { class: "error" }, e.message));
  }
}

$("search").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("query").value.trim();
  if (!q) return;
  if ($("kind").value === "state") location.hash = "#/state/" + encodeURIComponent(q);
  else if (/^\d+$/.test(q)) location.hash = "#/block/" + q;
  else if (/^[0-9a-fA-F]{64}$/.test(q)) location.hash = "#/tx/" + q.toLowerCase();
  else location.hash = "#/state/" + encodeURIComponent(q);
});

window.addEventListener("hashchange", route);
loadBlocks().catch((e) => $("blocks").replaceChildren(el("tr", {}, el("td", { class: "error" }, e.message))));
subscribe();
refreshCluster();
setInterval(refreshCluster, CLUSTER_REFRESH_MS);
route();
