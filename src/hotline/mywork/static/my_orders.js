// 我的工单: the orders the agent took (GET /api/orders: an agent gets only their own) with
// their state and nearest deadline, filtered 未办结 / 已超时 / 全部 here, and the return
// visits due on them (GET /api/orders/visits/due). Refreshed every 15 s: deadlines move.
"use strict";

(() => {
  const { t, el, stamp, duration } = Console;
  const rows = document.getElementById("my-orders-rows");
  const visitRows = document.getElementById("my-visits-rows");
  const message = document.getElementById("my-orders-message");
  const show = rows.dataset.show;
  const OPEN = new Set(["accepted", "assigned", "waiting_customer", "answered"]);
  const RUNNING = new Set(["ok", "near", "overdue"]);
  let departments = {};

  const pick = {
    open: (o) => OPEN.has(o.state),
    overdue: (o) => o.deadline === "overdue",
    all: () => true,
  };

  /** The running deadline due first: its label, due time and time left (or late). */
  function next(o) {
    const running = (o.deadlines || []).filter((d) => RUNNING.has(d.status) && d.due);
    if (!running.length) return t("common.none");
    running.sort((a, b) => a.due - b.due);
    const d = running[0];
    const rel = d.left_s >= 0 ? t("mywork.left", { time: duration(d.left_s) }) : t("mywork.late", { time: duration(-d.left_s) });
    return t("mywork.next", { label: d.label, due: stamp(d.due), rel });
  }

  function row(o) {
    return el("tr", { dataset: { order: o.id, state: o.state, deadline: o.deadline || "" } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.id }, String(o.id))),
      el("td", {}, o.type_label),
      el("td", {}, el("span", { class: "state order-state", dataset: { state: o.state } }, OrdersUI.stateLabel(o.state))),
      el("td", {}, o.department ? (departments[o.department] || o.department) : t("common.none")),
      el("td", { class: "num" }, stamp(o.created_at)),
      el("td", {}, OrdersUI.deadlineBadge(o.deadline)),
      el("td", { class: "num my-next" }, next(o)));
  }

  function visitRow(item) {
    const v = item.visit;
    const o = item.order;
    return el("tr", { dataset: { order: o.id, visit: v.id } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.id }, String(o.id))),
      el("td", {}, o.type_label),
      el("td", {}, o.fields.customer_name ?? t("common.none")),
      el("td", {}, t("visits.window." + v.window), v.sampled ? " · " + t("visits.sampled") : ""),
      el("td", { class: "num" }, stamp(v.scheduled_at)),
      el("td", { class: "num" }, stamp(v.due_at)));
  }

  async function load() {
    const [types, orders, visits] = await Promise.all([
      Console.api("GET", "/api/orders/types"),
      Console.api("GET", "/api/orders?limit=1000"),
      Console.api("GET", "/api/orders/visits/due"),
    ]);
    if (types.ok) departments = types.data.departments;
    if (!orders.ok || !visits.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(orders.ok ? visits : orders) }));
      return;
    }
    Console.flash(message, "error", "");
    for (const [name, test] of Object.entries(pick)) {
      const node = document.querySelector('[data-count="' + name + '"]');
      if (node) node.textContent = String(orders.data.filter(test).length);
    }
    const mine = orders.data.filter(pick[show] || pick.open);
    Console.setText("my-orders-count", t("mywork.count", { n: mine.length }));
    rows.replaceChildren(...(mine.length
      ? mine.map(row)
      : [el("tr", {}, el("td", { colspan: 7, class: "muted" }, t("mywork.empty." + show)))]));
    visitRows.replaceChildren(...(visits.data.length
      ? visits.data.map(visitRow)
      : [el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("mywork.visits_empty")))]));
  }

  load();
  setInterval(load, 15000);
})();
