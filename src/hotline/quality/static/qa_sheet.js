// One evaluation's form as a sheet of questions (shared by 录音质检 and 我的质检):
// editable (radio buttons per answer, conditional questions shown only when they apply)
// or read-only (the answers given), and the words for statuses and results.
"use strict";

const QaSheet = (() => {
  const { t, el } = Console;

  function choiceLabel(question, value) {
    if (value === "yes") return t("qa.yes");
    if (value === "no") return t("qa.no");
    if (value === "na") return t("qa.na");
    return t("qa.step", { step: value, steps: question.steps });
  }

  function choices(question) {
    const base = question.answer === "yes_no" ? ["yes", "no"] : Array.from({ length: question.steps }, (_, i) => i + 1);
    return question.na ? [...base, "na"] : base;
  }

  function badges(question) {
    return [
      question.fatal ? el("span", { class: "badge fatal" }, t("qa.fatal")) : null,
      question.critical ? el("span", { class: "badge critical" }, t("qa.critical")) : null,
      question.weight ? el("span", { class: "muted" }, " " + t("qa.weight", { weight: question.weight })) : null,
    ];
  }

  /** Whether `question` applies given the answers so far (its `when`). */
  function applies(question, answers) {
    if (!question.when) return true;
    return String(answers[question.when.question]) === String(question.when.answer);
  }

  /** The editable sheet in `host`, pre-answered with `initial` (a review re-answers the
   * first scoring) and with speech analytics' `suggestions` marked next to their
   * questions; returns a function reading the answers given. */
  function editable(host, form, initial = {}, suggestions = {}) {
    const rows = [];
    const read = () => {
      const answers = {};
      for (const { question, node } of rows) {
        const picked = node.querySelector("input:checked");
        if (picked) answers[question.id] = question.answer === "scale" && picked.value !== "na" ? Number(picked.value) : picked.value;
      }
      return answers;
    };
    const refresh = () => {
      const answers = read();
      for (const { question, node } of rows) node.hidden = !applies(question, answers);
    };
    host.replaceChildren(...form.sections.map((section) => el("fieldset", {},
      el("legend", {}, section.title),
      ...section.questions.map((question) => {
        const node = el("div", { class: "qa-question", dataset: { question: question.id } },
          el("div", {}, question.text, ...badges(question)),
          question.help ? el("div", { class: "help muted" }, question.help) : null,
          el("div", { class: "choices" }, ...choices(question).map((value) => el("label", {},
            el("input", { type: "radio", name: "q-" + question.id, value: String(value), onchange: refresh,
              checked: initial[question.id] !== undefined && String(initial[question.id]) === String(value) }),
            " " + choiceLabel(question, value))),
            suggestions[question.id] !== undefined
              ? el("span", { class: "suggested" }, t("qa.suggested", { answer: choiceLabel(question, suggestions[question.id]) }))
              : null));
        rows.push({ question, node });
        return node;
      }))));
    refresh();
    return read;
  }

  /** The answers given, read-only, in `host`. */
  function readonly(host, form, answers) {
    host.replaceChildren(...form.sections.map((section) => el("fieldset", {},
      el("legend", {}, section.title),
      ...section.questions.filter((q) => applies(q, answers)).map((question) => el("div", { class: "qa-question" },
        el("div", {}, question.text, ...badges(question)),
        el("div", { class: "muted" }, t("qa.answered", { answer: answers[question.id] === undefined ? t("common.none") : choiceLabel(question, answers[question.id]) })))))));
  }

  function status(value) { return t("qa.status." + value); }

  /** "0 分（致命项：forbidden）…" */
  function resultText(evaluation, form) {
    const r = evaluation.result || {};
    const text = (ids) => ids.map((id) => {
      for (const s of form.sections) for (const q of s.questions) if (q.id === id) return q.text;
      return id;
    }).join("；");
    const parts = [];
    if ((r.fatal || []).length) parts.push(t("qa.fatal_failed", { items: text(r.fatal), earned: r.earned }));
    if ((r.critical || []).length) parts.push(t("qa.critical_failed", { items: text(r.critical) }));
    if (evaluation.comment) parts.push(t("qa.comment_was", { comment: evaluation.comment }));
    return parts.join(" ");
  }

  /** A scored evaluation's score, what failed, the remarks and the agent's dispute, in
   * the page's #qa-result-score, #qa-result-detail and #qa-result-dispute. */
  function showResult(evaluation, form) {
    document.getElementById("qa-result-score").textContent = t("qa.score_value", { score: evaluation.score.toFixed(2) });
    document.getElementById("qa-result-detail").textContent = resultText(evaluation, form);
    document.getElementById("qa-result-dispute").textContent = evaluation.dispute ? t("qa.dispute_was", { reason: evaluation.dispute }) : "";
    const review = document.getElementById("qa-result-review");
    if (review) {
      const r = evaluation.review;
      review.textContent = r ? t("qa.review_was", { by: r.by, verdict: t("qa.verdict." + r.verdict), before: r.score_before.toFixed(2), note: r.note || "" }) : "";
    }
  }

  /** "每周定额、投诉" from an evaluation's sampling reasons. */
  function reasons(evaluation) {
    const list = evaluation.reasons || [];
    if (!list.length) return t("qa.reason.manual");
    return list.map((r) => r.startsWith("flag:") ? t("qa.reason.flag", { flag: t("qa.flag." + r.slice(5)) }) : t("qa.reason." + r)).join("、");
  }

  return { editable, readonly, status, showResult, reasons };
})();

// A case of the case library (案例库) as a row: its kind, title, whose call, the lesson,
// the knowledge-base article it illustrates and its recording (audited on play).
const QaCases = (() => {
  const { t, el, stamp } = Console;

  function row(c) {
    return el("div", { class: "qa-case", dataset: { case: c.id } },
      el("div", {},
        el("span", { class: c.verdict }, t("qa.case." + c.verdict)), " #" + c.id + " ", el("strong", {}, c.title),
        el("span", { class: "muted" }, " · " + t("qa.agent") + " " + c.agent + " · " + stamp(c.created_at) + " · "
          + (c.teams.length ? c.teams.join("、") : t("qa.all_teams"))),
        c.topic ? el("a", { href: "/kb?article=" + encodeURIComponent(c.topic), class: "qa-chip" }, t("qa.case_kb")) : null),
      c.comment ? el("div", {}, c.comment) : null,
      el("audio", { controls: true, preload: "none", src: "/api/qa/cases/" + c.id + "/recording" }));
  }

  return { row };
})();
