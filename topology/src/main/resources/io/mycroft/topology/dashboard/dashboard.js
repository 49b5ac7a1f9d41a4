// The live dashboard: the request list (polled), one request's ranking (SSE /requests/{id}/ranking/stream) and its
// owners' progress, series and the dead letters (SSE /requests/{id}/progress/stream). Both streams reopen by themselves
// after the app restarts.
"use strict";

const REOPEN_MS = 2000;
const COLOURS = ["#3366cc", "#dc3912", "#ff9900", "#109618", "#990099", "#0099c6", "#dd4477", "#66aa00", "#b82e2e",
  "#316395", "#994499", "#22aa99"];
const view = { request: null, streams: [], ranking: null, progress: null, scoreChart: null, residualChart: null };

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => (k === "class" ? (e.className = v) : e.setAttribute(k, v)));
  children.forEach(c => e.append(c));
  return e;
}

function fmt(x, digits = 3) {
  return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
}

function setConnection(live) {
  const badge = document.getElementById("connection");
  badge.textContent = live ? "live" : "reconnecting";
  badge.className = "badge " + (live ? "on" : "off");
}

async function loadRequests() {
  let requests;
  try {
    const answer = await fetch("/requests");
    if (answer.status === 401) {
      // A secured app: the token comes once as /?token=…, which the server turns into the page's cookie.
      document.getElementById("requests").replaceChildren(
        el("li", { class: "empty" }, "this app needs a token: open the page as /?token=<your token>"));
      setConnection(false);
      return;
    }
    requests = await answer.json();
  } catch (e) {
    setConnection(false);
    return;
  }
  const list = document.getElementById("requests");
  list.replaceChildren();
  if (requests.length === 0) {
    list.append(el("li", { class: "empty" }, "no request yet"));
  }
  requests.forEach(r => {
    const button = el("button", { "data-request": r.requestId, title: r.requestId },
      r.requestId + (r.settled ? " ✓" : ""));
    if (r.requestId === view.request) button.className = "selected";
    button.onclick = () => { location.hash = encodeURIComponent(r.requestId); };
    list.append(el("li", {}, button));
  });
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (!view.request && requests.length > 0) {
    select(requests.some(r => r.requestId === wanted) ? wanted : requests[requests.length - 1].requestId);
  }
}

// An EventSource that is opened again whenever the browser gave up on it (e.g. the app was down when it retried).
function stream(url, event, onData) {
  const handle = { source: null, closed: false };
  const open = () => {
    if (handle.closed) return;
    const source = new EventSource(url);
    handle.source = source;
    source.onopen = () => setConnection(true);
    source.addEventListener(event, e => onData(JSON.parse(e.data)));
    source.onerror = () => {
      setConnection(false);
      if (source.readyState === EventSource.CLOSED) setTimeout(open, REOPEN_MS);
    };
  };
  open();
  handle.close = () => { handle.closed = true; if (handle.source) handle.source.close(); };
  return handle;
}

// "?snapshot": read the ranking and the progress once as JSON, no streams, so the page finishes loading (screenshots).
const SNAPSHOT = new URLSearchParams(location.search).has("snapshot");

async function loadOnce(requestId) {
  const id = encodeURIComponent(requestId);
  const [ranking, progress] = await Promise.all([`/requests/${id}/ranking`, `/requests/${id}/progress`]
    .map(url => fetch(url).then(answer => answer.ok ? answer.json() : null)));
  view.ranking = ranking;
  view.progress = progress;
  setConnection(true);
  renderRanking();
  if (progress) renderProgress();
}

function select(requestId) {
  view.streams.forEach(s => s.close());
  view.request = requestId;
  view.ranking = null;
  view.progress = null;
  document.getElementById("request-title").textContent = requestId;
  document.querySelectorAll("#requests button").forEach(b =>
    b.className = b.getAttribute("data-request") === requestId ? "selected" : "");
  const id = encodeURIComponent(requestId);
  const links = document.getElementById("request-links");
  links.replaceChildren(...["ranking", "progress", "ranking/stream", "progress/stream"].map(p =>
    el("li", {}, el("a", { href: `/requests/${id}/${p}` }, `…/${p}`))));
  if (SNAPSHOT) {
    loadOnce(requestId);
    return;
  }
  view.streams = [
    stream(`/requests/${id}/ranking/stream`, "ranking", ranking => { view.ranking = ranking; renderRanking(); }),
    stream(`/requests/${id}/progress/stream`, "progress", progress => {
      view.progress = progress;
      renderRanking();
      renderProgress();
    }),
  ];
}

function renderRanking() {
  const ranking = view.ranking;
  const body = document.querySelector("#ranking tbody");
  body.replaceChildren();
  const badge = document.getElementById("settled");
  const detail = document.getElementById("settled-detail");
  if (!ranking) {
    badge.textContent = "no ranking yet";
    badge.className = "badge off";
    return;
  }
  badge.textContent = ranking.settled ? "settled" : "not settled";
  badge.className = "badge " + (ranking.settled ? "on" : "off");
  const pairs = ranking.separatedPairs || [];
  detail.textContent = `ranking #${ranking.seq} as of ${ranking.asOf}; ${pairs.length} separated pair(s), no reversal for `
    + `${ranking.updatesSinceOrderChange ?? 0} subset update(s)`;
  ranking.owners.forEach(o => {
    const separated = pairs.filter(p => p.split(">").includes(o.ownerId)).length;
    const interval = o.scoreLow === null || o.scoreLow === undefined ? ""
      : ` ± ${fmt((o.scoreHigh - o.scoreLow) / 2)}  [${fmt(o.scoreLow)}, ${fmt(o.scoreHigh)}]`;
    body.append(el("tr", { "data-owner": o.ownerId },
      el("td", { class: "num" }, String(o.rank)), el("td", {}, o.ownerId),
      el("td", { class: "num score" }, fmt(o.score) + interval), el("td", { class: "num" }, String(o.subsetSize)),
      el("td", { class: "num" }, String(o.samplesSeen)), el("td", { class: "num" }, String(o.duplicateSamples ?? 0)),
      el("td", { class: "num" }, fmt(o.evaluationGain)), el("td", { class: "num" }, String(separated))));
  });
}

function renderProgress() {
  const progress = view.progress;
  const body = document.querySelector("#progress tbody");
  body.replaceChildren();
  Object.entries(progress.owners).forEach(([owner, p]) => {
    const share = p.ingested > 0 ? Math.min(1, p.vectorised / p.ingested) : 0;
    const bar = el("div", { class: "bar" }, el("div", { style: `width:${(100 * share).toFixed(1)}%` }));
    body.append(el("tr", { "data-owner": owner }, el("td", {}, owner), el("td", { class: "num" }, String(p.ingested)),
      el("td", { class: "num" }, String(p.vectorised)), el("td", {}, bar)));
  });
  // Only the operator is sent the dead letters (they name every request and owner).
  const letters = progress.deadLetters || { count: "operator only", latest: [] };
  document.getElementById("dead-letter-count").textContent = String(letters.count);
  document.getElementById("dead-letters").replaceChildren(...letters.latest.map(d =>
    el("li", {}, `${new Date(d.failedAt).toISOString()} ${d.stage} (${d.topic}): ${d.reason}`)));
  renderCharts();
}

function renderCharts() {
  if (typeof Chart === "undefined") return;
  const owners = Object.entries(view.progress.owners);
  const start = Math.min(...owners.flatMap(([, p]) => p.series.map(s => s.asOf)));
  const datasets = field => owners.map(([owner, p], i) => ({
    label: owner, borderColor: COLOURS[i % COLOURS.length], backgroundColor: COLOURS[i % COLOURS.length],
    pointRadius: 1, stepped: true,
    data: p.series.filter(s => s[field] !== null).map(s => ({ x: (s.asOf - start) / 1000, y: s[field] })),
  }));
  view.scoreChart = drawChart(view.scoreChart, "score-chart", datasets("score"), "score");
  view.residualChart = drawChart(view.residualChart, "residual-chart", datasets("residual"), "‖r‖/‖y‖");
}

function drawChart(chart, canvasId, datasets, yTitle) {
  if (chart) {
    chart.data.datasets = datasets;
    chart.update("none");
    return chart;
  }
  return new Chart(document.getElementById(canvasId), {
    type: "line", data: { datasets },
    options: {
      animation: false, parsing: true,
      scales: { x: { type: "linear", title: { display: true, text: "seconds since the first update" } },
        y: { title: { display: true, text: yTitle } } },
    },
  });
}

window.addEventListener("hashchange", () => {
  const wanted = decodeURIComponent(location.hash.slice(1));
  if (wanted && wanted !== view.request) select(wanted);
});
loadRequests();
if (!SNAPSHOT) setInterval(loadRequests, 3000);
