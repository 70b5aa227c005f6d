// 受理工单正确率 (GET /api/order-accuracy): the figure, the query orders' key-field
// rate against 95 % and the other orders' rate against 99 % (green met, red missed), the wrong
// key fields and the orders that have one.
"use strict";

(() => {
  const { t, el, api, flash, errorText, percent } = Console;
  const $ = (id) => document.getElementById(id);
  const DAY = 86400;

  function tile(id, value, goal) {
    const kpi = $(id);
    kpi.querySelector(".value").textContent = value === null ? t("common.none") : percent(value);
    kpi.classList.toggle("good", value !== null && goal !== null && value >= goal);
    kpi.classList.toggle("bad", value !== null && goal !== null && value < goal);
  }

  function render(d) {
    tile("kpi-rate", d.rate, null);
    $("kpi-rate").querySelector('[data-field="rate_sub"]').textContent =
      t("accuracy.rate_sub", { correct: d.correct, orders: d.orders });
    tile("kpi-query", d.query_key_field_rate, d.query_goal);
    tile("kpi-other", d.other_rate, d.other_goal);
    $("accuracy-fields").replaceChildren(...Object.entries(d.wrong_fields).map(([field, n]) =>
      el("tr", { dataset: { field } }, el("td", {}, t("accuracy.key." + field)), el("td", { class: "num" }, String(n)))));
    $("accuracy-orders").replaceChildren(...(d.wrong_orders.length
      ? d.wrong_orders.map((o) => el("tr", { dataset: { order: o.order } },
          el("td", { class: "num" }, el("a", { href: "/orders/" + o.order }, String(o.order))),
          el("td", { class: "mono" }, o.type),
          el("td", {}, Object.entries(o.wrong).map(([f, why]) => t("accuracy.key." + f) + "：" + why).join("；"))))
      : [el("tr", {}, el("td", { colspan: 3, class: "muted" }, t("accuracy.none_wrong")))]));
  }

  function isoDay(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function epoch(day) {
    const parsed = new Date(day + "T00:00:00");
    return Number.isNaN(parsed.getTime()) ? null : parsed.getTime() / 1000;
  }

  async function load() {
    const from = $("accuracy-from");
    const to = $("accuracy-to");
    if (!to.value) to.value = isoDay(new Date());
    if (!from.value) from.value = isoDay(new Date(Date.now() - 29 * DAY * 1000));
    const params = new URLSearchParams();
    const start = epoch(from.value);
    const end = epoch(to.value);
    if (start !== null) params.set("from", String(start));
    if (end !== null) params.set("to", String(end + DAY)); // the "to" day is included
    const result = await api("GET", "/api/order-accuracy?" + params.toString());
    if (!result.ok) {
      flash($("accuracy-message"), "error", errorText(result));
      return;
    }
    flash($("accuracy-message"), "", "");
    render(result.data);
  }

  $("accuracy-period").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
})();
