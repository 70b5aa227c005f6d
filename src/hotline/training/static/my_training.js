// 我的培训: my stage, the exams open to me (taken here: the paper, a timer, handed in once,
// then the result with explanations), my tasks, my attempts and my checklist
// (GET /api/training/me, POST /api/training/exams/{exam}/attempts, …/submit).
"use strict";

(() => {
  const { t, api, el, flash, errorText, duration } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("tr-message");
  let current = null; // the attempt on screen
  let readAnswers = null;
  let timer = null;
  let handingIn = false;

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }

  async function load() {
    const result = await api("GET", "/api/training/me");
    if (!result.ok) { fail(result); return; }
    const me = result.data;
    Training.showProgress(me.progress);
    const exams = document.querySelector("#tr-exams tbody");
    if (!me.exams.length) exams.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("training.no_exams"))));
    else exams.replaceChildren(...me.exams.map((e) => el("tr", { dataset: { exam: e.exam, purpose: e.purpose } },
      el("td", {}, e.title), el("td", {}, t("training.purpose." + e.purpose)), el("td", { class: "num" }, e.questions),
      el("td", { class: "num" }, e.minutes), el("td", { class: "num" }, e.pass_score),
      el("td", {}, el("button", { type: "button", class: "tr-start", onclick: () => start(e.exam) }, t("training.start"))))));
    Training.showAttempts(document.querySelector("#tr-attempts tbody"), me.attempts, (a) => show(a.id));
    Training.showTasks($("tr-tasks"), me.tasks, false);
    if (me.checklists.length) Training.showChecklist($("tr-checklist"), me.checklists[0], null);
    else { $("tr-checklist").replaceChildren(el("p", { class: "muted body" }, t("training.no_checklist"))); $("tr-checklist-count").textContent = ""; }
  }

  function stopTimer() { if (timer) { clearInterval(timer); timer = null; } }

  function runTimer(remaining) {
    stopTimer();
    const ends = performance.now() + remaining * 1000;
    const tick = () => {
      const left = (ends - performance.now()) / 1000;
      const node = $("tr-timer");
      node.textContent = t("training.time_left", { time: duration(left) });
      node.classList.toggle("low", left < 60);
      if (left <= 0) { stopTimer(); node.textContent = t("training.time_up"); handIn(true); }
    };
    tick();
    timer = setInterval(tick, 500);
  }

  function showPaper(attempt) {
    current = attempt;
    $("tr-paper").hidden = false;
    $("tr-paper-title").textContent = attempt.title;
    const open = attempt.status === "open";
    $("tr-paper-form").hidden = false;
    $("tr-submit").hidden = !open;
    $("tr-submit").disabled = false;
    $("tr-result").hidden = open;
    if (open) {
      readAnswers = Training.editablePaper($("tr-questions"), attempt);
      runTimer(attempt.remaining);
    } else {
      stopTimer();
      $("tr-timer").textContent = "";
      $("tr-result-score").replaceChildren(Training.resultText(attempt), " ", Training.verdict(attempt.passed));
      Training.reviewPaper($("tr-questions"), attempt);
    }
    $("tr-paper").scrollIntoView({ block: "start" });
  }

  async function start(exam) {
    const result = await api("POST", "/api/training/exams/" + encodeURIComponent(exam) + "/attempts");
    if (!result.ok) { fail(result); return; }
    flash(message, "", "");
    showPaper(result.data);
  }

  async function show(id) {
    const result = await api("GET", "/api/training/attempts/" + id);
    if (!result.ok) { fail(result); return; }
    showPaper(result.data);
  }

  async function handIn(timeUp) {
    if (!current || current.status !== "open" || handingIn) return;
    const answers = readAnswers();
    const missing = current.questions.length - Object.keys(answers).length;
    if (!timeUp && missing > 0 && !window.confirm(t("training.submit_confirm", { count: missing }))) return;
    handingIn = true;
    $("tr-submit").disabled = true; // handed in once: a second click sends nothing
    const result = await api("POST", "/api/training/attempts/" + current.id + "/submit", { answers });
    handingIn = false;
    if (!result.ok) { fail(result); if (result.status !== 409) $("tr-submit").disabled = false; return; }
    stopTimer();
    showPaper(result.data);
    flash(message, result.data.passed ? "ok" : "error", Training.resultText(result.data));
    load();
  }

  $("tr-paper-form").addEventListener("submit", (ev) => { ev.preventDefault(); handIn(false); });
  load();
})();
