// 录音质检: the inspector's day — the daily sample, the work dealt to me and the pool to
// claim, the scoring sheet with the player, dispute review, calibration, the case
// library, the QA report and every evaluation (GET/POST /api/qa/...).
"use strict";

(() => {
  const { t, api, el, flash, errorText, stamp } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("qa-message");
  const tabs = $("qa-tabs");
  const manager = tabs.dataset.manager === "yes";
  const me = tabs.dataset.user;
  let readAnswers = null;
  let current = null;
  let mode = "score"; // or "review"
  let forms = [];

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }
  const none = (colspan, key) => el("tr", {}, el("td", { colspan, class: "muted" }, t(key)));
  const score = (value) => (value === null || value === undefined ? t("common.none") : value.toFixed(2));
  const pct = (value) => (value === null || value === undefined ? t("common.none") : (100 * value).toFixed(1) + "%");

  // ---- tabs -------------------------------------------------------------------------
  const loaders = {};
  function show(tab) {
    for (const b of tabs.querySelectorAll("button")) b.classList.toggle("active", b.dataset.tab === tab);
    for (const pane of document.querySelectorAll(".qa-pane")) pane.hidden = pane.dataset.pane !== tab;
    $("qa-sheet").hidden = true;
    if (loaders[tab]) loaders[tab]();
  }
  tabs.addEventListener("click", (ev) => { const b = ev.target.closest("button"); if (b) show(b.dataset.tab); });

  // ---- forms --------------------------------------------------------------------------
  async function loadForms() {
    const result = await api("GET", "/api/qa/forms");
    if (!result.ok) { fail(result); $("qa-open-button").disabled = true; return; }
    forms = result.data.forms;
    const options = () => forms.map((f) => el("option", { value: f.id }, f.title + "（" + t("qa.version", { version: f.version }) + "）"));
    $("qa-form").replaceChildren(...options());
    $("qa-calibrate-form").replaceChildren(...options());
  }

  // ---- the queue: mine and the pool -----------------------------------------------------
  function workRow(e, action) {
    return el("tr", { dataset: { evaluation: e.id } },
      el("td", {}, "#" + e.id), el("td", {}, el("a", { href: "/calls/" + encodeURIComponent(e.call) }, e.call)),
      el("td", {}, e.agent), el("td", {}, e.queue ? Console.term("queue", e.queue) : t("common.none")),
      el("td", {}, e.sample_day || t("common.none")), el("td", {}, QaSheet.reasons(e)), el("td", {}, action));
  }

  async function loadQueue() {
    const [mine, pool] = await Promise.all([
      api("GET", "/api/qa/evaluations?status=open&queue=mine"),
      api("GET", "/api/qa/evaluations?status=open&queue=unassigned"),
    ]);
    if (!mine.ok) { fail(mine); return; }
    if (!pool.ok) { fail(pool); return; }
    const mineRows = mine.data.evaluations;
    document.querySelector("#qa-mine tbody").replaceChildren(...(mineRows.length
      ? mineRows.map((e) => workRow(e, el("button", { type: "button", onclick: () => openSheet(e.id) }, t("qa.score_it"))))
      : [none(7, "qa.none")]));
    const poolRows = pool.data.evaluations;
    document.querySelector("#qa-pool tbody").replaceChildren(...(poolRows.length
      ? poolRows.map((e) => workRow(e, el("button", { type: "button", onclick: (ev) => claim(e.id, ev.target) }, t("qa.claim"))))
      : [none(7, "qa.none")]));
  }
  loaders.queue = loadQueue;

  async function claim(id, button) {
    button.disabled = true;
    const result = await api("POST", "/api/qa/evaluations/" + id + "/claim");
    if (!result.ok) { button.disabled = false; fail(result); loadQueue(); return; }
    flash(message, "ok", t("qa.claimed", { id }));
    await loadQueue();
    openSheet(id);
  }

  if (manager) {
    $("qa-sample-panel").hidden = false;
    api("GET", "/api/qa/today").then((r) => {
      if (r.ok) { $("qa-sample-day").value = r.data.yesterday; $("qa-sample-day").max = r.data.today; }
    });
    $("qa-sample").addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = $("qa-sample-button");
      button.disabled = true;
      const result = await api("POST", "/api/qa/samples", { day: $("qa-sample-day").value });
      button.disabled = false;
      if (!result.ok) { fail(result); return; }
      const d = result.data;
      const dealt = Object.entries(d.assigned).map(([who, n]) => who + " " + n).join("，") || t("common.none");
      flash(message, "ok", t("qa.sampled", { day: d.day, samples: d.samples, assigned: dealt, over: d.over_capacity }));
      loadQueue();
    });
  }

  $("qa-open").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-open-button");
    button.disabled = true;
    const result = await api("POST", "/api/qa/evaluations", { call: $("qa-call").value.trim(), form: $("qa-form").value || null });
    button.disabled = false;
    if (!result.ok) { fail(result); return; }
    flash(message, "ok", t("qa.opened", { id: result.data.id, agent: result.data.agent }));
    $("qa-call").value = "";
    await loadQueue();
    openSheet(result.data.id);
  });

  // ---- the sheet -------------------------------------------------------------------------
  async function openSheet(id, asReview = false) {
    $("qa-questions").replaceChildren(); // no answers given on the last sheet while this one loads
    $("qa-score-form").hidden = true;
    const result = await api("GET", "/api/qa/evaluations/" + id);
    if (!result.ok) { fail(result); return; }
    current = result.data;
    mode = asReview ? "review" : "score";
    const form = current.form_body;
    $("qa-sheet").hidden = false;
    $("qa-sheet-title").textContent = t("qa.sheet_title", { id: current.id, call: current.call, agent: current.agent, form: form.title, version: form.version });
    $("qa-listen").href = "/calls/" + encodeURIComponent(current.call);
    $("qa-sheet-note").textContent = form.description || "";
    const analysis = await api("GET", "/api/qa/evaluations/" + id + "/analysis");
    const data = analysis.ok ? analysis.data : { recordings: [], error: errorText(analysis) };
    QaPlayer.mount($("qa-player"), data);
    const open = current.status === "open";
    const reviewing = asReview && current.status === "disputed";
    $("qa-review-form").hidden = !reviewing;
    $("qa-score-form").hidden = !(open || reviewing);
    $("qa-comment-label").hidden = reviewing;
    $("qa-result").hidden = open || reviewing;
    if (open) {
      readAnswers = QaSheet.editable($("qa-questions"), form, {}, data.suggestions || {});
      $("qa-comment").value = "";
      $("qa-submit").textContent = t("qa.submit");
    } else if (reviewing) {
      readAnswers = QaSheet.editable($("qa-questions"), form, current.answers, data.suggestions || {});
      $("qa-review-dispute").textContent = t("qa.dispute_was", { reason: current.dispute || "" }) + " " + t("qa.score_value", { score: score(current.score) });
      $("qa-review-note").value = "";
      $("qa-submit").textContent = t("qa.review");
    } else {
      QaSheet.showResult(current, form);
      QaSheet.readonly($("qa-answers"), form, current.answers);
      $("qa-case-form").hidden = current.calibration !== null;
      $("qa-case-button").disabled = false;
    }
    $("qa-submit").disabled = false;
    $("qa-sheet").scrollIntoView({ block: "start" });
  }

  $("qa-score-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-submit");
    button.disabled = true;
    for (const node of document.querySelectorAll(".qa-question.invalid")) node.classList.remove("invalid");
    let result;
    if (mode === "review") {
      const verdict = document.querySelector("#qa-review-form input[name=verdict]:checked").value;
      const note = $("qa-review-note").value.trim();
      result = await api("POST", "/api/qa/evaluations/" + current.id + "/review",
        { verdict, note, answers: verdict === "overturned" ? readAnswers() : null });
    } else {
      result = await api("POST", "/api/qa/evaluations/" + current.id + "/score", { answers: readAnswers(), comment: $("qa-comment").value });
    }
    if (!result.ok) {
      button.disabled = false;
      fail(result);
      const field = (result.data && result.data.field) || "";
      const bad = field.startsWith("body.answers.") ? document.querySelector('.qa-question[data-question="' + CSS.escape(field.slice(13)) + '"]') : null;
      if (bad) { bad.classList.add("invalid"); bad.scrollIntoView({ block: "center" }); }
      return;
    }
    if (mode === "review") {
      flash(message, "ok", t("qa.reviewed", { id: current.id, verdict: t("qa.verdict." + result.data.review.verdict), score: score(result.data.score) }));
      loadDisputes();
    } else {
      flash(message, "ok", t("qa.scored", { id: current.id, score: score(result.data.score) }));
      loadQueue();
    }
    openSheet(current.id);
  });

  $("qa-case-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-case-button");
    button.disabled = true;
    const teams = $("qa-case-teams").value.split(/[,，、\s]+/).map((x) => x.trim()).filter(Boolean);
    const result = await api("POST", "/api/qa/cases", {
      evaluation: current.id, verdict: $("qa-case-verdict").value, title: $("qa-case-title").value.trim(),
      comment: $("qa-case-comment").value, topic: $("qa-case-topic").value.trim() || null, teams,
    });
    if (!result.ok) { button.disabled = false; fail(result); return; }
    flash(message, "ok", t("qa.case_added", { id: result.data.id }));
    $("qa-case-form").hidden = true;
  });

  // ---- disputes ----------------------------------------------------------------------------
  async function loadDisputes() {
    const result = await api("GET", "/api/qa/evaluations?status=disputed");
    if (!result.ok) { fail(result); return; }
    const rows = result.data.evaluations;
    document.querySelector("#qa-disputes tbody").replaceChildren(...(rows.length ? rows.map((e) => el("tr", { dataset: { evaluation: e.id } },
      el("td", {}, "#" + e.id), el("td", {}, e.call), el("td", {}, e.agent), el("td", { class: "num" }, score(e.score)),
      el("td", {}, e.scored_by || ""), el("td", {}, e.dispute || ""),
      el("td", {}, manager && e.scored_by !== me ? el("button", { type: "button", onclick: () => openSheet(e.id, true) }, t("qa.review")) : "")))
      : [none(7, "qa.disputes_none")]));
  }
  loaders.disputes = loadDisputes;

  // ---- calibration -------------------------------------------------------------------------
  async function loadCalibration() {
    if (manager && !$("qa-calibrate-who").childElementCount) {
      const who = await api("GET", "/api/qa/inspectors");
      if (who.ok) {
        const names = [...new Set([...who.data.inspectors, me])];
        $("qa-calibrate-panel").hidden = false;
        $("qa-calibrate-who").replaceChildren(...names.map((name) => el("label", {},
          el("input", { type: "checkbox", value: name, checked: true }), " " + name)));
      }
    }
    const result = await api("GET", "/api/qa/calibrations");
    if (!result.ok) { fail(result); return; }
    const host = $("qa-calibrations");
    const sessions = result.data.calibrations;
    if (!sessions.length) { host.replaceChildren(el("p", { class: "muted" }, t("qa.calibrations_none"))); return; }
    host.replaceChildren(...sessions.map((c) => {
      const box = el("div", { class: "qa-case", dataset: { calibration: c.id } },
        el("button", { type: "button", class: "link", onclick: () => loadSpread(c.id, box) }, t("qa.calibration_row", { id: c.id, call: c.call })),
        " · " + stamp(c.created_at) + " · " + c.inspectors.join("、"));
      return box;
    }));
  }
  loaders.calibration = loadCalibration;

  async function loadSpread(id, box) {
    const result = await api("GET", "/api/qa/calibrations/" + id);
    if (!result.ok) { fail(result); return; }
    const d = result.data;
    const old = box.querySelector(".spread");
    if (old) old.remove();
    const mine = d.evaluations.find((e) => e.inspector === me && e.status === "open");
    const parts = [];
    if (mine) parts.push(el("p", {}, el("button", { type: "button", onclick: () => openSheet(mine.id) }, t("qa.score_it") + " #" + mine.id)));
    if (!d.spread) parts.push(el("p", { class: "muted" }, t("qa.spread_hidden")));
    else {
      const s = d.spread;
      parts.push(el("p", {}, t("qa.spread", { range: score(s.range), stdev: score(s.stdev), mean: score(s.mean) })));
      parts.push(el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, el("th", {}, t("qa.inspector")), el("th", {}, t("qa.score")))),
        el("tbody", {}, ...d.evaluations.map((e) => el("tr", {}, el("td", {}, e.inspector), el("td", { class: "num" }, e.score === null ? t("qa.waiting") : score(e.score)))))));
      parts.push(el("p", {}, s.disagreements.length
        ? t("qa.disagreements") + "：" + s.disagreements.map((q) => q + "（" + t("qa.agreement") + " " + pct(s.agreement[q]) + "）").join("；")
        : t("qa.no_disagreement")));
    }
    box.append(el("div", { class: "spread" }, ...parts));
  }

  $("qa-calibrate").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-calibrate-button");
    button.disabled = true;
    const inspectors = [...$("qa-calibrate-who").querySelectorAll("input:checked")].map((x) => x.value);
    const result = await api("POST", "/api/qa/calibrations", { call: $("qa-calibrate-call").value.trim(), form: $("qa-calibrate-form").value || null, inspectors });
    button.disabled = false;
    if (!result.ok) { fail(result); return; }
    flash(message, "ok", t("qa.calibrated", { id: result.data.id, count: result.data.inspectors.length }));
    $("qa-calibrate-call").value = "";
    loadCalibration();
  });

  // ---- the case library ------------------------------------------------------------------
  async function loadCases() {
    const result = await api("GET", "/api/qa/cases");
    if (!result.ok) { fail(result); return; }
    $("qa-cases").replaceChildren(...(result.data.cases.length ? result.data.cases.map(QaCases.row) : [el("p", { class: "muted" }, t("qa.cases_none"))]));
  }
  loaders.cases = loadCases;

  // ---- the report ----------------------------------------------------------------------------
  async function loadReport() {
    const q = new URLSearchParams({ by: $("qa-report-by").value });
    if ($("qa-report-from").value) q.set("from", $("qa-report-from").value);
    if ($("qa-report-to").value) q.set("to", $("qa-report-to").value);
    const result = await api("GET", "/api/qa/report?" + q);
    if (!result.ok) { fail(result); return; }
    const d = result.data;
    if (!$("qa-report-from").value) $("qa-report-from").value = d.from;
    if (!$("qa-report-to").value) $("qa-report-to").value = d.to;
    const label = (key) => (d.by === "queue" && key ? Console.term("queue", key) : key || t("common.none"));
    const cells = (r) => [el("td", { class: "num" }, r.evaluations), el("td", { class: "num" }, score(r.average)), el("td", { class: "num" }, pct(r.fatal_rate)), el("td", { class: "num" }, pct(r.dispute_rate)), el("td", { class: "num" }, r.overturned)];
    const rows = d.rows.filter((r) => r.evaluations > 0 || r.previous_average !== null);
    const parts = [];
    if (!rows.length) parts.push(el("p", { class: "muted" }, t("qa.report_none")));
    else {
      parts.push(el("table", { class: "grid" },
        el("thead", {}, el("tr", {}, el("th", {}, t("qa.by." + d.by)), ...["evaluations", "average", "fatal_rate", "dispute_rate", "overturned", "previous", "trend"].map((c) => el("th", {}, t("qa.col." + c))))),
        el("tbody", {}, ...rows.map((r) => el("tr", {}, el("td", {}, label(r.key)), ...cells(r), el("td", { class: "num" }, score(r.previous_average)),
          el("td", { class: "num" }, r.trend === null ? t("common.none") : (r.trend > 0 ? "+" : "") + r.trend.toFixed(2)))),
          d.total ? el("tr", {}, el("th", {}, t("qa.report_total")), ...cells(d.total), el("td", {}), el("td", {})) : null)));
    }
    if (d.calibrations.length) {
      parts.push(el("h3", {}, t("qa.report_calibrations")), el("ul", {}, ...d.calibrations.map((c) => el("li", {},
        t("qa.calibration_row", { id: c.calibration, call: c.call }) + "：" + t("qa.spread", { range: score(c.range), stdev: score(c.stdev), mean: t("common.none") })))));
    }
    $("qa-report").replaceChildren(...parts);
  }
  loaders.report = loadReport;
  $("qa-report-form").addEventListener("submit", (ev) => { ev.preventDefault(); loadReport(); });

  // ---- every evaluation ----------------------------------------------------------------------
  async function loadList() {
    const status = $("qa-filter").value;
    const result = await api("GET", "/api/qa/evaluations" + (status ? "?status=" + status : ""));
    const body = document.querySelector("#qa-evaluations tbody");
    if (!result.ok) { fail(result); return; }
    const rows = result.data.evaluations;
    if (!rows.length) { body.replaceChildren(none(8, "qa.none")); return; }
    body.replaceChildren(...rows.map((e) => el("tr", { dataset: { evaluation: e.id, status: e.status } },
      el("td", {}, "#" + e.id), el("td", {}, el("a", { href: "/calls/" + encodeURIComponent(e.call) }, e.call)),
      el("td", {}, e.agent), el("td", {}, e.form + " " + t("qa.version", { version: e.version })), el("td", {}, QaSheet.status(e.status)),
      el("td", { class: "num" }, score(e.score)),
      el("td", {}, e.scored_by || e.inspector || ""),
      el("td", {}, el("button", { type: "button", onclick: () => openSheet(e.id) }, e.status === "open" ? t("qa.score_it") : t("qa.view"))))));
  }
  loaders.all = loadList;
  $("qa-filter").addEventListener("change", loadList);

  loadForms();
  loadQueue();
})();
