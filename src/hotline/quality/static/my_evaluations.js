// 我的质检: the signed-in agent's evaluations with their scores, the answers given on
// each, the call's recording and speech analysis, 申诉 (dispute) once on a scored one,
// and the case library shared with the agent's team (GET/POST /api/qa/...).
"use strict";

(() => {
  const { t, api, el, flash, errorText, stamp } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("qa-message");
  let current = null;

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }

  async function load() {
    const result = await api("GET", "/api/qa/evaluations");
    const body = document.querySelector("#qa-mine tbody");
    if (!result.ok) { fail(result); return; }
    const rows = result.data.evaluations;
    if (!rows.length) { body.replaceChildren(el("tr", {}, el("td", { colspan: 7, class: "muted" }, t("qa.mine_none")))); return; }
    body.replaceChildren(...rows.map((e) => el("tr", { dataset: { evaluation: e.id, status: e.status } },
      el("td", {}, "#" + e.id), el("td", {}, e.call), el("td", {}, e.form + " " + t("qa.version", { version: e.version })),
      el("td", {}, QaSheet.status(e.status)),
      el("td", { class: "num" }, e.score === null ? t("common.none") : e.score.toFixed(2)),
      el("td", {}, e.scored_at ? stamp(e.scored_at) : ""),
      el("td", {}, e.status === "open" ? "" : el("button", { type: "button", onclick: () => show(e.id) }, t("qa.view"))))));
  }

  async function loadCases() {
    const result = await api("GET", "/api/qa/cases");
    if (!result.ok) { fail(result); return; }
    $("qa-cases").replaceChildren(...(result.data.cases.length ? result.data.cases.map(QaCases.row) : [el("p", { class: "muted" }, t("qa.cases_none"))]));
  }

  async function show(id) {
    const result = await api("GET", "/api/qa/evaluations/" + id);
    if (!result.ok) { fail(result); return; }
    current = result.data;
    const form = current.form_body;
    $("qa-sheet").hidden = false;
    $("qa-sheet-title").textContent = t("qa.mine_sheet", { id: current.id, call: current.call, form: form.title, version: form.version });
    QaSheet.showResult(current, form);
    QaSheet.readonly($("qa-questions"), form, current.answers);
    const analysis = await api("GET", "/api/qa/evaluations/" + id + "/analysis");
    QaPlayer.mount($("qa-player"), analysis.ok ? analysis.data : { recordings: [], error: errorText(analysis) });
    $("qa-dispute").hidden = current.status !== "scored";
    $("qa-dispute-button").disabled = false;
  }

  $("qa-dispute").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-dispute-button");
    button.disabled = true;
    const result = await api("POST", "/api/qa/evaluations/" + current.id + "/dispute", { reason: $("qa-dispute-reason").value.trim() });
    if (!result.ok) { button.disabled = false; fail(result); return; }
    flash(message, "ok", t("qa.disputed", { id: current.id }));
    $("qa-dispute-reason").value = "";
    await load();
    show(current.id);
  });

  load();
  loadCases();
})();
