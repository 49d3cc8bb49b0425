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
    el("td", {}, b.view),
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
    ? [["view", r.view], ["primary", r.primary], ["height", r.height], ["executed seq", r.lastExecutedSequence],
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
  $("detail").replaceChildren(
    el("h2", { id: "block-title" }, "Block #" + b.height),
    kv([["hash", el("code", {}, b.hash)],
        ["previous", b.height > 0 ? link("#/block/" + (b.height - 1), el("code", {}, b.previousHash)) : el("code", {}, b.previousHash)],
        ["time", new Date(b.timestamp).toISOString()], ["view / sequence", b.view + " / " + b.sequence],
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
    el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "replica"), el("th", {}, "Ed25519 signature"))),
      el("tbody", {}, (b.certificate || []).map((c) => el("tr", {}, el("td", {}, c.replica),
        el("td", { class: "mono" }, c.signature.slice(0, 44) + "…"))))));
  check.replaceChildren(await checkRoot(b, t.transactions));
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
