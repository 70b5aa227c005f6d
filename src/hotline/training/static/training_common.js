// Shared by 培训与考核 and 我的培训: a person's stages, their exam attempts, training tasks
// and a checklist sheet as the API gives them, in the page's language.
"use strict";

const Training = (() => {
  const { t, el, stamp } = Console;

  function none() { return t("training.none"); }

  function stateText(progress) { return t("training.state." + progress.state); }

  function stageTitle(progress, id) {
    const stage = progress.stages.find((s) => s.id === id);
    return stage ? t("training.stage_line", { order: stage.order, title: stage.title }) : id;
  }

  /** The state line and the stages as a row of cards, in #tr-state and #tr-stages. */
  function showProgress(progress) {
    const state = document.getElementById("tr-state");
    const parts = [stateText(progress)];
    if (progress.state === "in_training") parts.push(stageTitle(progress, progress.stage), t("training.days_in_stage", { days: progress.days_in_stage }));
    state.textContent = parts.join(" · ");
    state.dataset.state = progress.state;
    document.getElementById("tr-stages").replaceChildren(...progress.stages.map((s) => el("li", { class: s.status, dataset: { stage: s.id, status: s.status } },
      el("div", {}, el("strong", {}, t("training.stage_line", { order: s.order, title: s.title }))),
      el("div", {}, t("training.stage_status." + s.status)),
      s.exam ? el("div", { class: "muted" }, t("training.stage_exam", { exam: s.exam_title, score: s.pass_score, days: s.min_days })) : null,
      s.started_at ? el("div", { class: "muted" }, t("training.stage_started", { at: stamp(s.started_at) })) : null,
      s.status === "waiting" && s.due_at ? el("div", { class: "muted" }, t("training.stage_due", { at: stamp(s.due_at) })) : null,
      s.passed_at ? el("div", { class: "muted" }, t("training.stage_passed", { at: stamp(s.passed_at) })) : null)));
  }

  function score(value) { return value === null || value === undefined ? none() : Number(value).toFixed(2); }

  function verdict(passed) {
    if (passed === null || passed === undefined) return none();
    return el("span", { class: passed ? "tr-pass" : "tr-fail" }, t(passed ? "training.passed" : "training.failed"));
  }

  /** Attempt rows in `tbody`; `onView(attempt)` for the button (none: no button). */
  function showAttempts(tbody, attempts, onView) {
    if (!attempts.length) { tbody.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("training.no_attempts")))); return; }
    tbody.replaceChildren(...attempts.map((a) => el("tr", { dataset: { attempt: a.id, status: a.status } },
      el("td", {}, a.title), el("td", {}, t("training.attempt_status." + a.status)),
      el("td", { class: "num" }, a.status === "open" ? none() : score(a.score), " ", a.status === "open" ? "" : verdict(a.passed)),
      el("td", { class: "num" }, a.pass_score), el("td", {}, a.submitted_at ? stamp(a.submitted_at) : none()),
      el("td", {}, onView ? el("button", { type: "button", onclick: () => onView(a) }, t(a.status === "open" ? "training.continue" : "training.view")) : ""))));
  }

  /** Training tasks in `host` (with the agent's 工号 when `withAgent`). */
  function showTasks(host, tasks, withAgent) {
    if (!tasks.length) { host.replaceChildren(el("p", { class: "muted" }, t("training.no_tasks"))); return; }
    host.replaceChildren(el("table", { class: "grid", id: "tr-task-list" },
      el("thead", {}, el("tr", {}, withAgent ? el("th", {}, t("training.agent")) : null, el("th", {}, "#"), el("th", {}, t("training.status")),
        el("th", {}, t("training.task_study")), el("th", {}, t("training.exam")), el("th", {}, t("training.created_at")))),
      el("tbody", {}, ...tasks.map((task) => el("tr", { dataset: { task: task.id, status: task.status } },
        withAgent ? el("td", {}, task.agent) : null,
        el("td", {}, "#" + task.id),
        el("td", {}, t("training.task_status." + task.status)),
        el("td", { class: "wrap" },
          el("div", {}, t("training.task_reason." + task.reason, { average: task.detail.average, evaluations: task.detail.evaluations, threshold: task.detail.threshold })),
          el("ul", { class: "tr-study" },
            ...(task.study.kb || []).map((topic) => el("li", {}, t("training.task_kb"), "：", el("a", { href: "/kb" }, topic))),
            ...(task.study.cases || []).map((c) => el("li", {}, t("training.task_cases"), "：", c)))),
        el("td", {}, t("training.task_exam", { exam: task.exam_title || task.exam })),
        el("td", {}, stamp(task.created_at), el("div", { class: "muted" }, task.status === "done" ? t("training.task_done_at", { at: stamp(task.done_at) }) : t("training.task_due", { at: stamp(task.due_at) }))))))));
  }

  /** A checklist sheet in `host` (#tr-checklist), with a tick button per unticked item
   * when `onTick(item)` is given; the count in #tr-checklist-count. */
  function showChecklist(host, sheet, onTick) {
    document.getElementById("tr-checklist-count").textContent = t("training.ticked_count", { ticked: sheet.ticked, total: sheet.items.length });
    host.replaceChildren(el("table", { class: "grid", id: "tr-kbi-items", dataset: { role: sheet.role, person: sheet.person } },
      el("thead", {}, el("tr", {}, el("th", {}, t("training.category")), el("th", {}, t("training.item")), el("th", {}, t("training.requirement")),
        el("th", {}, t("training.limit")), el("th", {}, t("training.period")), el("th", {}, t("training.ticked")))),
      el("tbody", {}, ...sheet.items.map((item) => el("tr", { dataset: { item: item.id, ticked: item.tick ? "yes" : "no" } },
        el("td", {}, item.category), el("td", { class: "wrap" }, item.text), el("td", { class: "wrap" }, item.requirement),
        el("td", {}, t("training.limit." + item.limit)), el("td", {}, item.period),
        el("td", {}, item.tick
          ? el("span", { class: "tr-pass" }, "✓ ", t("training.ticked_by", { by: item.tick.ticked_by, at: stamp(item.tick.at) }))
          : onTick ? el("button", { type: "button", class: "tr-tick", onclick: (ev) => onTick(item, ev.currentTarget) }, t("training.tick")) : el("span", { class: "muted" }, t("training.not_ticked"))))))));
  }

  function optionText(question, letter) {
    if (question.type === "true_false") return t(letter === "true" ? "training.true" : "training.false");
    const index = letter.charCodeAt(0) - 65;
    return letter + ". " + (question.options[index] ?? "");
  }

  function answerText(question, letters) {
    if (!letters || !letters.length) return t("training.no_answer");
    return letters.map((l) => optionText(question, l)).join("；");
  }

  function choices(question) {
    return question.type === "true_false" ? ["true", "false"] : question.options.map((_, i) => String.fromCharCode(65 + i));
  }

  /** The paper to answer in `host`; returns a function reading the answers given. */
  function editablePaper(host, attempt) {
    host.replaceChildren(...attempt.questions.map((q, n) => el("div", { class: "tr-question", dataset: { question: q.key } },
      el("div", {}, el("span", { class: "badge" }, t("training.type." + q.type)), t("training.question_no", { n: n + 1 }), "　", q.text),
      el("div", { class: "choices" }, ...choices(q).map((letter) => el("label", {},
        el("input", { type: q.type === "multiple" ? "checkbox" : "radio", name: "q-" + q.key, value: letter }),
        " " + optionText(q, letter)))))));
    return () => {
      const answers = {};
      for (const q of attempt.questions) {
        const picked = [...host.querySelectorAll('[data-question="' + CSS.escape(q.key) + '"] input:checked')].map((i) => i.value);
        if (!picked.length) continue;
        answers[q.key] = q.type === "multiple" ? picked : q.type === "true_false" ? picked[0] === "true" : picked[0];
      }
      return answers;
    };
  }

  /** A handed-in paper in `host`: each question with the answer given; the wrong ones
   * with the right answer, the explanation and the KB topic. */
  function reviewPaper(host, attempt) {
    const wrong = new Set(attempt.wrong);
    host.replaceChildren(...attempt.questions.map((q, n) => {
      const bad = wrong.has(q.key);
      return el("div", { class: "tr-question " + (bad ? "wrong" : "right"), dataset: { question: q.key, verdict: bad ? "wrong" : "right" } },
        el("div", {}, el("span", { class: "badge" }, t("training.type." + q.type)), t("training.question_no", { n: n + 1 }), "　", q.text),
        el("div", { class: "muted" }, t("training.your_answer", { answer: answerText(q, attempt.answers[q.key]) })),
        bad ? el("div", {}, t("training.right_answer", { answer: answerText(q, q.answer) })) : null,
        bad && q.explanation ? el("div", { class: "explanation" }, t("training.explanation", { text: q.explanation })) : null,
        bad && q.kb ? el("div", { class: "muted" }, t("training.kb_topic", { topic: q.kb })) : null);
    }));
  }

  function resultText(attempt) {
    return t("training.result", { score: score(attempt.score), correct: attempt.correct, total: attempt.total });
  }

  return { showProgress, showAttempts, showTasks, showChecklist, editablePaper, reviewPaper, resultText, verdict, score, stageTitle, stateText };
})();
