// 培训与考核 (shift lead, supervisor, QA): every agent's stage and last result (enrol a new
// hire), one agent's detail, the exam statistics, the training tasks (run the low-score
// check) and the KBI checklist, ticked per person and period (GET/POST /api/training/...).
"use strict";

(() => {
  const { t, api, el, flash, errorText, percent } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("tr-message");
  const mayTick = $("tr-agents").dataset.mayTick === "yes";
  let people = {};

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }

  async function loadAgents() {
    const result = await api("GET", "/api/training/agents");
    const body = document.querySelector("#tr-agents tbody");
    if (!result.ok) { fail(result); return; }
    body.replaceChildren(...result.data.agents.map((a) => el("tr", { dataset: { agent: a.agent, state: a.state } },
      el("td", {}, a.agent), el("td", {}, t("training.state." + a.state)),
      el("td", {}, a.state === "in_training" ? a.stage + (a.days_in_stage !== null ? "（" + t("training.days_in_stage", { days: a.days_in_stage }) + "）" : "") : t("training.none")),
      el("td", {}, a.last_exam ? [a.last_exam.exam, " ", Training.score(a.last_exam.score), " ", Training.verdict(a.last_exam.passed)] : t("training.none")),
      el("td", { class: "num" }, a.open_tasks),
      el("td", {}, el("button", { type: "button", onclick: () => showAgent(a.agent) }, t("training.detail")),
        mayTick && a.state === "independent" ? [" ", el("button", { type: "button", class: "tr-enrol", onclick: (ev) => enrol(a.agent, ev.currentTarget) }, t("training.enrol"))] : null))));
  }

  async function showAgent(agent) {
    const result = await api("GET", "/api/training/agents/" + encodeURIComponent(agent));
    if (!result.ok) { fail(result); return; }
    $("tr-agent").hidden = false;
    $("tr-agent-title").textContent = t("training.agent_title", { agent });
    Training.showProgress(result.data.progress);
    Training.showAttempts(document.querySelector("#tr-attempts tbody"), result.data.attempts.filter((a) => a.status !== "open"), null);
    $("tr-agent").scrollIntoView({ block: "start" });
  }

  async function enrol(agent, button) {
    button.disabled = true;
    const result = await api("POST", "/api/training/agents/" + encodeURIComponent(agent) + "/enrol");
    if (!result.ok) { button.disabled = false; fail(result); return; }
    flash(message, "ok", t("training.enrolled", { agent }));
    await loadAgents();
    showAgent(agent);
  }

  async function loadResults() {
    const result = await api("GET", "/api/training/results");
    const body = document.querySelector("#tr-results tbody");
    if (!result.ok) { fail(result); return; }
    body.replaceChildren(...result.data.exams.map((e) => el("tr", { dataset: { exam: e.exam } },
      el("td", {}, e.title), el("td", { class: "num" }, e.attempts), el("td", { class: "num" }, e.passed),
      el("td", { class: "num" }, percent(e.pass_rate)), el("td", { class: "num" }, Training.score(e.average)))));
  }

  async function loadTasks() {
    const result = await api("GET", "/api/training/tasks");
    if (!result.ok) { fail(result); return; }
    Training.showTasks($("tr-tasks"), result.data.tasks, true);
  }

  $("tr-check").addEventListener("click", async () => {
    const button = $("tr-check");
    button.disabled = true;
    const result = await api("POST", "/api/training/tasks/check");
    button.disabled = false;
    if (!result.ok) { fail(result); return; }
    flash(message, "ok", t("training.checked", { count: result.data.opened.length }));
    loadTasks();
    loadAgents();
  });

  async function loadChecklists() {
    const result = await api("GET", "/api/training/checklists");
    if (!result.ok) { fail(result); return; }
    people = Object.fromEntries(result.data.checklists.map((c) => [c.role, c.people]));
    $("tr-kbi-role").replaceChildren(...result.data.checklists.map((c) => el("option", { value: c.role }, c.title)));
    $("tr-kbi-shift").replaceChildren(...result.data.shifts.map((s) => el("option", { value: s }, s)));
    fillPeople();
  }

  function fillPeople() {
    const list = people[$("tr-kbi-role").value] || [];
    $("tr-kbi-people").replaceChildren(...list.map((p) => el("option", { value: p })));
    if (list.length && !list.includes($("tr-kbi-person").value)) $("tr-kbi-person").value = list[0];
  }

  function sheetQuery() {
    const params = new URLSearchParams({ person: $("tr-kbi-person").value.trim() });
    if ($("tr-kbi-day").value) params.set("day", $("tr-kbi-day").value);
    if ($("tr-kbi-shift").value) params.set("shift", $("tr-kbi-shift").value);
    return "/api/training/checklists/" + encodeURIComponent($("tr-kbi-role").value) + "?" + params;
  }

  async function loadSheet() {
    const result = await api("GET", sheetQuery());
    if (!result.ok) { fail(result); return; }
    const sheet = result.data;
    Training.showChecklist($("tr-checklist"), sheet, mayTick ? (item, button) => tick(sheet, item, button) : null);
  }

  async function tick(sheet, item, button) {
    button.disabled = true; // a double click sends one tick; the server keeps one anyway
    const result = await api("POST", "/api/training/ticks", { role: sheet.role, person: sheet.person, item: item.id, period: item.period });
    if (!result.ok) { button.disabled = false; fail(result); return; }
    flash(message, "ok", t("training.tick_done", { item: item.text }));
    loadSheet();
  }

  $("tr-kbi-role").addEventListener("change", fillPeople);
  $("tr-kbi").addEventListener("submit", (ev) => { ev.preventDefault(); loadSheet(); });
  loadAgents();
  loadResults();
  loadTasks();
  loadChecklists();
})();
