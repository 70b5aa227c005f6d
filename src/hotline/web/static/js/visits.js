// Return visits (回访任务): the due visits from GET /api/orders/visits/due (an agent's own
// orders), each recorded in place with a score 1–5 and the customer's words (POST …/visit).
"use strict";

(() => {
  const { t, el, stamp } = Console;
  const rows = document.getElementById("visits-rows");
  const message = document.getElementById("visits-message");

  function recorder(item) {
    const score = el("select", { class: "visit-score", "aria-label": t("orders.score") },
      [5, 4, 3, 2, 1].map((n) => el("option", { value: n }, String(n))));
    const opinion = el("input", { class: "visit-opinion", maxlength: 1000, placeholder: t("orders.opinion_placeholder"), "aria-label": t("orders.opinion") });
    const save = el("button", { type: "button", class: "primary visit-save" }, t("visits.save"));
    save.addEventListener("click", async () => {
      save.disabled = true;
      const result = await Console.api("POST", "/api/orders/" + item.order.id + "/visit", {
        score: Number(score.value), opinion: opinion.value.trim(),
      });
      if (result.ok) {
        Console.flash(message, "ok", t("visits.saved", { id: item.order.id, state: OrdersUI.stateLabel(result.data.state) }));
        await load();
      } else {
        save.disabled = false;
        Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      }
    });
    return el("span", { class: "row" }, score, opinion, save);
  }

  function row(item) {
    const v = item.visit;
    const o = item.order;
    return el("tr", { dataset: { order: o.id, visit: v.id } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.id }, String(o.id))),
      el("td", {}, o.type_label),
      el("td", {}, o.fields.customer_name ?? t("common.none")),
      el("td", { class: "mono" }, o.fields.phone ?? o.caller ?? t("common.none")),
      el("td", {}, t("visits.window." + v.window), v.sampled ? " · " + t("visits.sampled") : ""),
      el("td", { class: "num" }, stamp(v.scheduled_at)),
      el("td", { class: "num" }, stamp(v.due_at)),
      el("td", {}, recorder(item)));
  }

  async function load() {
    const result = await Console.api("GET", "/api/orders/visits/due");
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      return;
    }
    rows.replaceChildren(...(result.data.length
      ? result.data.map(row)
      : [el("tr", {}, el("td", { colspan: 8, class: "muted" }, t("visits.empty")))]));
  }

  load();
})();
