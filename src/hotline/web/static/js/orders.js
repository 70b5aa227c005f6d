// Work orders (工单): shared helpers for the order pages (`OrdersUI`) and the order list,
// which it fills from GET /api/orders with the filters of the page's form (?state=&type=&deadline=).
"use strict";

const OrdersUI = (() => {
  const { t, el } = Console;

  function known(key) {
    return t(key) !== key;
  }

  /** A state as a labelled pill (受理, 已交办, 已回访…). */
  function stateLabel(state) {
    return known("orders.state." + state) ? t("orders.state." + state) : state;
  }

  /** A deadline status as a coloured badge: green ok/met, amber near, red overdue/missed. */
  function deadlineBadge(status) {
    if (!status) return el("span", { class: "muted" }, t("common.none"));
    return el("span", { class: "dl dl-" + status, dataset: { status } }, t("orders.deadline." + status));
  }

  /** A choice value in the page language where the catalogue names it, else as stored. */
  function choiceLabel(value) {
    return known("orders.choice." + value) ? t("orders.choice." + value) : value;
  }

  return { known, stateLabel, deadlineBadge, choiceLabel };
})();

(() => {
  const { t, el, stamp } = Console;
  const rows = document.getElementById("orders-rows");
  if (!rows) return; // loaded as the helpers of another order page

  function row(o) {
    return el("tr", { dataset: { order: o.id, state: o.state } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.id }, String(o.id))),
      el("td", {}, o.type_label),
      el("td", {}, el("span", { class: "state order-state", dataset: { state: o.state } }, OrdersUI.stateLabel(o.state))),
      el("td", {}, o.department ? departmentName(o.department) : t("common.none")),
      el("td", { class: "mono" }, Console.caller(o.caller)),
      el("td", { class: "num" }, stamp(o.created_at)),
      el("td", { class: "mono" }, o.created_by),
      el("td", {}, OrdersUI.deadlineBadge(o.deadline)),
      el("td", { class: "num" }, String(o.round)));
  }

  let departments = {};
  function departmentName(code) {
    return departments[code] || code;
  }

  async function load() {
    const query = new URLSearchParams();
    for (const name of ["state", "type", "deadline"]) {
      const value = new URLSearchParams(window.location.search).get(name);
      if (value) query.set(name, value);
    }
    const [types, result] = await Promise.all([
      Console.api("GET", "/api/orders/types"),
      Console.api("GET", "/api/orders" + (query.toString() ? "?" + query : "")),
    ]);
    if (types.ok) departments = types.data.departments;
    const message = document.getElementById("orders-message");
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      rows.replaceChildren();
      return;
    }
    Console.flash(message, "error", "");
    Console.setText("orders-count", t("orders.count", { n: result.data.length }));
    rows.replaceChildren(...(result.data.length
      ? result.data.map(row)
      : [el("tr", {}, el("td", { colspan: 9, class: "muted" }, t("orders.empty")))]));
  }

  load();
  setInterval(load, 15000); // deadlines move: the colours follow without a reload
})();
