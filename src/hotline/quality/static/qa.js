// 录音质检: open an evaluation of an answered call, score it on its form (the sheet),
// and see every evaluation's status and score (GET/POST /api/qa/...).
"use strict";

(() => {
  const { t, api, el, flash, errorText } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("qa-message");
  let readAnswers = null;
  let current = null;

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }

  async function loadForms() {
    const result = await api("GET", "/api/qa/forms");
    if (!result.ok) { fail(result); $("qa-open-button").disabled = true; return; }
    $("qa-form").replaceChildren(...result.data.forms.map((f) => el("option", { value: f.id }, f.title + "（" + t("qa.version", { version: f.version }) + "）")));
  }

  async function loadList() {
    const status = $("qa-filter").value;
    const result = await api("GET", "/api/qa/evaluations" + (status ? "?status=" + status : ""));
    const body = document.querySelector("#qa-evaluations tbody");
    if (!result.ok) { fail(result); return; }
    const rows = result.data.evaluations;
    if (!rows.length) { body.replaceChildren(el("tr", {}, el("td", { colspan: 8, class: "muted" }, t("qa.none")))); return; }
    body.replaceChildren(...rows.map((e) => el("tr", { dataset: { evaluation: e.id, status: e.status } },
      el("td", {}, "#" + e.id), el("td", {}, el("a", { href: "/calls/" + encodeURIComponent(e.call) }, e.call)),
      el("td", {}, e.agent), el("td", {}, e.form + " " + t("qa.version", { version: e.version })), el("td", {}, QaSheet.status(e.status)),
      el("td", { class: "num" }, e.score === null ? t("common.none") : e.score.toFixed(2)),
      el("td", {}, e.scored_by || ""),
      el("td", {}, el("button", { type: "button", onclick: () => openSheet(e.id) }, e.status === "open" ? t("qa.score_it") : t("qa.view"))))));
  }

  async function openSheet(id) {
    const result = await api("GET", "/api/qa/evaluations/" + id);
    if (!result.ok) { fail(result); return; }
    current = result.data;
    const form = current.form_body;
    $("qa-sheet").hidden = false;
    $("qa-sheet-title").textContent = t("qa.sheet_title", { id: current.id, call: current.call, agent: current.agent, form: form.title, version: form.version });
    $("qa-listen").href = "/calls/" + encodeURIComponent(current.call);
    $("qa-sheet-note").textContent = form.description || "";
    const open = current.status === "open";
    $("qa-score-form").hidden = !open;
    $("qa-result").hidden = open;
    if (open) {
      readAnswers = QaSheet.editable($("qa-questions"), form);
      $("qa-comment").value = "";
      $("qa-submit").disabled = false;
    } else {
      QaSheet.showResult(current, form);
    }
    $("qa-sheet").scrollIntoView({ block: "start" });
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
    await loadList();
    openSheet(result.data.id);
  });

  $("qa-score-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = $("qa-submit");
    button.disabled = true;
    for (const node of document.querySelectorAll(".qa-question.invalid")) node.classList.remove("invalid");
    const result = await api("POST", "/api/qa/evaluations/" + current.id + "/score", { answers: readAnswers(), comment: $("qa-comment").value });
    if (!result.ok) {
      button.disabled = false;
      fail(result);
      const field = (result.data && result.data.field) || "";
      const bad = field.startsWith("body.answers.") ? document.querySelector('.qa-question[data-question="' + CSS.escape(field.slice(13)) + '"]') : null;
      if (bad) { bad.classList.add("invalid"); bad.scrollIntoView({ block: "center" }); }
      return;
    }
    flash(message, "ok", t("qa.scored", { id: current.id, score: result.data.score.toFixed(2) }));
    current = { ...result.data, form_body: current.form_body };
    $("qa-score-form").hidden = true;
    $("qa-result").hidden = false;
    QaSheet.showResult(current, current.form_body);
    loadList();
  });

  $("qa-filter").addEventListener("change", loadList);
  loadForms();
  loadList();
})();
