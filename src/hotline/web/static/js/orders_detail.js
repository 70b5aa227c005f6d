// One work order (工单详情): fields, deadlines with their status, the timeline (who, when) and
// the actions the role may take in the order's state (交办, 督办, 答复, 回访, 重开, 归档).
"use strict";

(() => {
  const { t, el, stamp } = Console;
  const $ = (id) => document.getElementById(id);
  const orderId = $("order").dataset.order;
  const departments = JSON.parse($("departments").textContent);

  // Which button each state allows (lifecycle.py); the API refuses anything else with 409.
  const ALLOWED = {
    "btn-assign": ["accepted", "assigned"],
    "btn-expedite": ["assigned", "waiting_customer"],
    "btn-answer": ["accepted", "assigned"],
    "btn-pause": ["accepted", "assigned", "answered"],
    "btn-resume": ["waiting_customer"],
    "btn-reopen": ["answered", "visited", "archived"],
    "btn-archive": ["answered", "visited"],
  };
  let fieldLabels = {};
  let order = null;
  let pending = false;

  const departmentName = (code) => (code ? departments[code] || code : t("common.none"));

  function left(d) {
    if (d.status === "pending" || d.status === "met" || d.status === "missed") return t("common.none");
    const text = d.left_s >= 0 ? Console.duration(d.left_s) : t("orders.deadline_late", { time: Console.duration(-d.left_s) });
    return d.paused ? text + " " + t("orders.deadline_paused") : text;
  }

  function render(o) {
    order = o;
    Console.setText("order-type", o.type_label);
    const state = $("order-state");
    state.dataset.state = o.state;
    state.textContent = OrdersUI.stateLabel(o.state);
    const worst = $("order-deadline");
    worst.hidden = !o.deadline;
    if (o.deadline) worst.replaceWith(Object.assign(OrdersUI.deadlineBadge(o.deadline), { id: "order-deadline" }));
    $("order-hidden").hidden = !o.identity_hidden;

    const fields = [];
    for (const [name, value] of Object.entries(o.fields)) {
      fields.push(el("dt", {}, fieldLabels[name] || name));
      fields.push(el("dd", { dataset: { field: name } }, typeof value === "string" ? OrdersUI.choiceLabel(value) : String(value)));
    }
    $("order-fields").replaceChildren(...fields);
    Console.setText("order-caller", o.caller || t("common.none"));
    Console.setText("order-department", departmentName(o.department));
    Console.setText("order-created-by", o.created_by);
    Console.setText("order-created-at", stamp(o.created_at));
    Console.setText("order-round", String(o.round));

    $("order-deadlines").replaceChildren(...(o.deadlines.length
      ? o.deadlines.map((d) => el("tr", { dataset: { deadline: d.name } },
          el("td", {}, d.label), el("td", {}, d.duration), el("td", { class: "num" }, stamp(d.due)),
          el("td", { class: "num" }, left(d)), el("td", {}, OrdersUI.deadlineBadge(d.status))))
      : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("orders.no_deadlines")))]));
    $("order-steps").replaceChildren(...o.steps.map((s) =>
      el("tr", { dataset: { kind: s.kind } },
        el("td", { class: "num" }, stamp(s.at)),
        el("td", {}, OrdersUI.known("orders.step." + s.kind) ? t("orders.step." + s.kind) : s.kind),
        el("td", { class: "mono" }, s.by),
        el("td", {}, departmentName(s.department)),
        el("td", { class: "wrap" }, s.note || ""))));
    const done = o.visits.filter((v) => v.status === "done");
    $("order-visits").replaceChildren(...(done.length
      ? done.map((v) => el("tr", {},
          el("td", { class: "num" }, stamp(v.done_at)), el("td", { class: "mono" }, v.done_by || ""),
          el("td", { class: "num" }, String(v.score)), el("td", { class: "wrap" }, v.opinion)))
      : [el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("orders.no_visits")))]));
    buttons();
  }

  function buttons() {
    let any = false;
    for (const [id, states] of Object.entries(ALLOWED)) {
      const button = $(id);
      if (!button) continue;
      const on = !!order && states.includes(order.state);
      button.hidden = !on;
      button.disabled = pending || !on;
      any = any || on;
    }
    const department = $("assign-department");
    if (department) {
      department.hidden = $("btn-assign").hidden;
      if (order && order.department && !department.dataset.touched) department.value = order.department;
    }
    const attempt = $("attempt-form");
    if (attempt) {
      const on = !!order && !!order.attempts && ["accepted", "assigned"].includes(order.state);
      attempt.hidden = !on;
      for (const id of ["btn-attempt-reached", "btn-attempt-failed"]) $(id).disabled = pending || !on;
      if (on) {
        const a = order.attempts;
        const channel = $("attempt-channel");
        if (channel.options.length !== a.channels.length) {
          channel.replaceChildren(...a.channels.map((c) => el("option", { value: c }, OrdersUI.choiceLabel(c))));
        }
        Console.setText("attempt-state", t("orders.attempts_state", {
          failed: a.failed, limit: a.limit, then: t("orders.reason." + a.then),
        }));
      }
      any = any || on;
    }
    const visit = $("visit-form");
    if (visit) {
      const on = !!order && order.state === "answered";
      visit.hidden = !on;
      $("btn-visit").disabled = pending || !on;
      any = any || on;
    }
    $("no-actions").hidden = any || !order;
  }

  async function load() {
    const [types, result] = await Promise.all([
      Console.api("GET", "/api/orders/types"),
      Console.api("GET", "/api/orders/" + encodeURIComponent(orderId)),
    ]);
    if (types.ok) {
      fieldLabels = {};
      for (const kind of types.data.types) for (const f of kind.fields) fieldLabels[f.name] ??= f.label;
    }
    if (!result.ok) {
      const text = result.status === 404 || result.status === 403 ? t("orders.not_found") : Console.errorText(result);
      Console.flash($("order-message"), "error", text);
      $("order-actions").hidden = true;
      return;
    }
    render(result.data);
  }

  async function act(button) {
    const verb = button.dataset.verb;
    const body = verb === "visit"
      ? { score: Number($("visit-score").value), opinion: $("visit-opinion").value.trim() }
      : { note: $("action-note").value.trim() };
    if (verb === "assign") body.department = $("assign-department").value;
    if (verb === "attempt") {
      body.reached = button.dataset.reached === "true";
      body.channel = $("attempt-channel").value;
    }
    pending = true;
    buttons();
    const result = await Console.api("POST", "/api/orders/" + encodeURIComponent(orderId) + "/" + verb, body);
    pending = false;
    if (result.ok) {
      $("action-note").value = "";
      Console.flash($("order-message"), "ok", t("orders.done", { action: button.textContent.trim() }));
      render(result.data);
    } else {
      Console.flash($("order-message"), "error", t("common.error", { message: Console.errorText(result) }));
      buttons();
    }
  }

  for (const button of document.querySelectorAll("#order-actions button[data-verb]")) {
    button.addEventListener("click", () => act(button));
  }
  const department = $("assign-department");
  if (department) department.addEventListener("change", () => { department.dataset.touched = "1"; });
  load();
  setInterval(() => { if (!pending) load(); }, 15000);
})();
