// The shift lead's jobs on the order list: open expedite tasks (督办任务, GET /api/orders/expedites)
// each chased in place (POST /api/orders/{id}/expedite, or opened when it needs a paper notice),
// and the outage return-visit sample (停电回访抽样, POST /api/orders/visits/sample).
"use strict";

(() => {
  const { t, el, stamp } = Console;
  const rows = document.getElementById("expedites-rows");
  const message = document.getElementById("expedites-message");
  const CHASEABLE = ["assigned", "waiting_customer"];

  function row(task, state) {
    const chase = el("button", { type: "button", class: "expedite-do" }, t("orders.expedite_do"));
    chase.hidden = !CHASEABLE.includes(state);
    chase.addEventListener("click", async () => {
      chase.disabled = true;
      const result = await Console.api("POST", "/api/orders/" + task.order + "/expedite", { note: task.reason });
      if (!result.ok) {
        chase.disabled = false;
        Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
        return;
      }
      Console.flash(message, "ok", t("orders.expedite_done", { id: task.order }));
      await load();
    });
    return el("tr", { dataset: { order: task.order, task: task.id, deadline: task.deadline } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + task.order }, String(task.order))),
      el("td", {}, task.reason),
      el("td", { class: "num" }, stamp(task.due_at)),
      el("td", {}, chase));
  }

  async function load() {
    const result = await Console.api("GET", "/api/orders/expedites");
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      return;
    }
    const states = {};
    await Promise.all([...new Set(result.data.map((task) => task.order))].map(async (id) => {
      const order = await Console.api("GET", "/api/orders/" + id);
      states[id] = order.ok ? order.data.state : "";
    }));
    rows.replaceChildren(...(result.data.length
      ? result.data.map((task) => row(task, states[task.order]))
      : [el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("orders.expedites_empty")))]));
  }

  const sample = document.getElementById("sample-submit");
  sample.addEventListener("click", async () => {
    const outage = document.getElementById("sample-outage").value.trim();
    const note = document.getElementById("sample-message");
    if (!outage) return;
    sample.disabled = true;
    const result = await Console.api("POST", "/api/orders/visits/sample", { outage });
    sample.disabled = false;
    if (!result.ok) {
      Console.flash(note, "error", t("common.error", { message: Console.errorText(result) }));
      return;
    }
    Console.flash(note, "ok", t("orders.sampled", { n: result.data.length }));
  });

  load();
  setInterval(load, 30000);
})();
