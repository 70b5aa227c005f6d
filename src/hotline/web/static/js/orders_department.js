// 我的部门工单: the orders assigned to the user's department (GET /api/orders narrows the list
// to it), open ones first and, among them, the least time left first; each row says the
// running deadline's time left, or how late it is (marked red). Refreshed every 15 s.
"use strict";

(() => {
  const { t, el, stamp } = Console;
  const rows = document.getElementById("department-rows");
  const OPEN = new Set(["accepted", "assigned", "waiting_customer"]);
  const RUNNING = new Set(["ok", "near", "overdue"]);

  /** The running deadline with the least time left, or null. */
  function urgent(o) {
    const running = o.deadlines.filter((d) => RUNNING.has(d.status));
    return running.reduce((best, d) => (best === null || d.left_s < best.left_s ? d : best), null);
  }

  function rank(a, b) {
    const openA = OPEN.has(a.state), openB = OPEN.has(b.state);
    if (openA !== openB) return openA ? -1 : 1;
    const da = urgent(a), db = urgent(b);
    if (da && db && da.left_s !== db.left_s) return da.left_s - db.left_s;
    if (!!da !== !!db) return da ? -1 : 1;
    return b.updated_at - a.updated_at;
  }

  function left(o) {
    if (!OPEN.has(o.state)) return el("span", { class: "muted" }, t("department.done"));
    const d = urgent(o);
    if (!d) return el("span", { class: "muted" }, t("common.none"));
    if (d.left_s < 0) {
      return el("span", { class: "left-late" }, t("department.late", { label: d.label, time: Console.duration(-d.left_s) }));
    }
    return el("span", {}, t("department.left", { label: d.label, time: Console.duration(d.left_s) }));
  }

  function place(o) {
    const f = o.fields || {};
    return [f.address, f.area].filter((v) => typeof v === "string" && v).join(" · ") || t("common.none");
  }

  function row(o) {
    const d = urgent(o);
    const classes = [OPEN.has(o.state) ? "" : "closed", d && d.status === "overdue" ? "overdue" : ""].join(" ").trim();
    return el("tr", { class: classes, dataset: { order: o.id, state: o.state } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.id }, String(o.id))),
      el("td", {}, o.type_label),
      el("td", {}, el("span", { class: "state order-state", dataset: { state: o.state } }, OrdersUI.stateLabel(o.state))),
      el("td", { class: "wrap" }, place(o)),
      el("td", { class: "num" }, stamp(o.created_at)),
      el("td", { class: "num department-left" }, left(o)),
      el("td", {}, OrdersUI.deadlineBadge(o.deadline)));
  }

  async function load() {
    const message = document.getElementById("department-message");
    const result = await Console.api("GET", "/api/orders?limit=500");
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      rows.replaceChildren();
      return;
    }
    Console.flash(message, "error", "");
    const orders = [...result.data].sort(rank);
    const open = orders.filter((o) => OPEN.has(o.state)).length;
    Console.setText("department-count", t("department.count", { n: orders.length, open }));
    rows.replaceChildren(...(orders.length
      ? orders.map(row)
      : [el("tr", {}, el("td", { colspan: 7, class: "muted" }, t("department.empty")))]));
  }

  load();
  setInterval(load, 15000); // deadlines move: the time left follows without a reload
})();
