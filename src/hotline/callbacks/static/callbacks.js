// 回呼任务 (callback tasks): GET /api/callbacks?status= fills the table and the tabs' counts;
// an agent or the shift lead records a task's outcome (POST /api/callbacks/{id}/outcome),
// which closes it. The list follows the log every 15 s without a reload. A voicemail task
// plays the caller's message (GET /api/callbacks/{id}/voicemail, preload="none": one
// request and one audit row per playback).
"use strict";

(() => {
  const { t, el, stamp, duration } = Console;
  const rows = document.getElementById("callbacks-rows");
  const message = document.getElementById("callbacks-message");
  const status = rows.dataset.status;
  const canClose = rows.dataset.close === "yes";
  const columns = canClose ? 9 : 8;

  function known(key) {
    return t(key) !== key;
  }

  function label(prefix, value) {
    return value && known(prefix + value) ? t(prefix + value) : (value || t("common.none"));
  }

  function owner(task) {
    return task.queue ? t("callbacks.owner_queue", { queue: task.queue_title || task.queue }) : t("callbacks.owner_any");
  }

  function dueText(task, now) {
    if (task.status === "closed") return stamp(task.due);
    const left = task.due - now;
    const rel = left >= 0 ? t("callbacks.left", { time: duration(left) }) : t("callbacks.late", { time: duration(-left) });
    return stamp(task.due) + " (" + rel + ")";
  }

  function outcome(task) {
    if (!task.result) return t("common.none");
    const what = label("callbacks.outcome.", task.result);
    return task.closed_by || task.closed_at
      ? what + " · " + t("callbacks.by", { who: task.closed_by || t("common.none"), at: stamp(task.closed_at) })
      : what;
  }

  function recorder(task, outcomes) {
    if (!task.can_close) return el("td", {}, "");
    const pick = el("select", { class: "cb-outcome", "aria-label": t("callbacks.col_outcome") },
      outcomes.map((o) => el("option", { value: o }, label("callbacks.outcome.", o))));
    const save = el("button", { type: "button", class: "primary cb-save" }, t("callbacks.record"));
    save.addEventListener("click", async () => {
      save.disabled = true;
      const result = await Console.api("POST", "/api/callbacks/" + task.id + "/outcome", { outcome: pick.value });
      if (result.ok) {
        Console.flash(message, "ok", t("callbacks.recorded", { id: task.id, outcome: label("callbacks.outcome.", pick.value) }));
        await load();
      } else {
        save.disabled = false;
        Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      }
    });
    return el("td", {}, el("span", { class: "cb-record" }, pick, save));
  }

  function reason(task) {
    const what = label("callbacks.reason.", task.reason);
    const m = task.message;
    if (!m) return el("td", {}, what);
    const length = t("callbacks.message_seconds", { seconds: m.seconds.toFixed(1) });
    const heard = m.url
      ? el("audio", { controls: "", preload: "none", class: "cb-message", src: m.url })
      : el("span", { class: "muted" }, t(m.simulated ? "callbacks.message_simulated" : "callbacks.message_no_audio"));
    return el("td", {}, el("div", {}, what + " · " + length), heard);
  }

  function row(task, data) {
    return el("tr", { dataset: { task: task.id, status: task.status, queue: task.queue || "" } },
      el("td", { class: "mono cb-caller" }, Console.caller(task.caller)),
      el("td", {}, label("tier.", task.tier)),
      reason(task),
      el("td", { class: "cb-owner" }, owner(task)),
      el("td", { class: "num" }, stamp(task.created_at)),
      el("td", { class: "num cb-due" }, dueText(task, data.now)),
      el("td", { class: "cb-status" }, el("span", { class: "dl dl-" + (task.status === "open" ? "ok" : task.status === "overdue" ? "overdue" : "met") },
        t("callbacks.status." + task.status))),
      el("td", { class: "cb-result" }, outcome(task)),
      canClose ? recorder(task, data.outcomes) : null);
  }

  async function load() {
    const result = await Console.api("GET", "/api/callbacks?status=" + encodeURIComponent(status));
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      return;
    }
    const data = result.data;
    for (const [name, n] of Object.entries(data.counts)) {
      const node = document.querySelector('[data-count="' + name + '"]');
      if (node) node.textContent = String(n);
    }
    Console.setText("callbacks-scope", data.queues === null
      ? t("callbacks.scope_all")
      : t("callbacks.scope_agent", { queues: data.queues.length ? data.queues.map((q) => data.queue_titles[q] || q).join("、") : t("common.none") }));
    rows.replaceChildren(...(data.tasks.length
      ? data.tasks.map((task) => row(task, data))
      : [el("tr", {}, el("td", { colspan: columns, class: "muted" }, t("callbacks.empty." + status)))]));
  }

  load();
  setInterval(() => {
    // a choice half made is not thrown away by the refresh
    if (document.activeElement && document.activeElement.closest && document.activeElement.closest("#callbacks-rows")) return;
    load();
  }, 15000);
})();
