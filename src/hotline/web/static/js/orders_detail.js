// One work order (工单详情): fields, deadlines with their status, the timeline (who, when) and
// the actions the role may take in the order's state (交办, 督办, 跟进, 答复, 回访, 重开, 归档).
// Field labels are the order's own type's (a complaint's content reads 投诉内容); 交办 proposes
// the type's configured department; 跟进 offers the type's milestones (到达现场, 已送电 …) and,
// with 答复, takes the time it happened (发生时间, in the hotline's time zone; empty: now).
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
  let kinds = {}; // order type name → its configuration (GET /api/orders/types)
  let order = null;
  let pending = false;

  const departmentName = (code) => (code ? departments[code] || code : t("common.none"));
  const milestoneName = (name) => (OrdersUI.known("orders.milestone." + name) ? t("orders.milestone." + name) : name);
  const timeZone = document.body.dataset.tz || "Asia/Shanghai";

  /** The hotline time zone's wall clock minus UTC at `epochMs`, in milliseconds. */
  function zoneOffset(epochMs) {
    const parts = new Intl.DateTimeFormat("en-US", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(epochMs));
    const v = Object.fromEntries(parts.map((p) => [p.type, p.value]));
    return Date.UTC(+v.year, v.month - 1, +v.day, +v.hour, +v.minute, +v.second) - epochMs;
  }

  /** "YYYY-MM-DDTHH:MM" read in the hotline's time zone as epoch seconds, or null. */
  function fromLocal(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(text);
    if (!m) return null;
    const wall = Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5]);
    return (wall - zoneOffset(wall - zoneOffset(wall))) / 1000;
  }

  /** A rule's duration ("45 minutes", "2 working days", as the API says it) in words. */
  function durationText(text) {
    const m = /^(\d+) (working days|working hours|minutes|days)$/.exec(text || "");
    return m ? t("orders.duration." + m[2].replace(" ", "_"), { n: m[1] }) : text;
  }

  function stepKind(s) {
    if (s.kind === "followed_up" && s.detail && s.detail.milestone) {
      return t("orders.step_milestone", { milestone: milestoneName(s.detail.milestone) });
    }
    return OrdersUI.known("orders.step." + s.kind) ? t("orders.step." + s.kind) : s.kind;
  }

  function stepNote(s) {
    const later = s.detail && s.detail.recorded_at ? t("orders.recorded_later", { time: stamp(s.detail.recorded_at) }) : "";
    return [s.note || "", later].filter(Boolean).join(" ");
  }

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
    const kind = kinds[o.type];
    const labels = Object.fromEntries(kind ? kind.fields.map((f) => [f.name, f.label]) : []);
    for (const [name, value] of Object.entries(o.fields)) {
      fields.push(el("dt", {}, labels[name] || name));
      fields.push(el("dd", { dataset: { field: name } }, typeof value === "string" ? OrdersUI.choiceLabel(value) : String(value)));
    }
    $("order-fields").replaceChildren(...fields);
    Console.setText("order-caller", Console.caller(o.caller));
    Console.setText("order-source", OrdersUI.known("orders.source." + o.source) ? t("orders.source." + o.source) : (o.source || t("common.none")));
    Console.setText("order-department", departmentName(o.department));
    Console.setText("order-created-by", o.created_by);
    Console.setText("order-created-at", stamp(o.created_at));
    Console.setText("order-round", String(o.round));

    $("order-deadlines").replaceChildren(...(o.deadlines.length
      ? o.deadlines.map((d) => el("tr", { dataset: { deadline: d.name } },
          el("td", {}, d.label), el("td", {}, durationText(d.duration)), el("td", { class: "num" }, stamp(d.due)),
          el("td", { class: "num" }, left(d)), el("td", {}, OrdersUI.deadlineBadge(d.status))))
      : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("orders.no_deadlines")))]));
    $("order-steps").replaceChildren(...o.steps.map((s) =>
      el("tr", { dataset: { kind: s.kind } },
        el("td", { class: "num" }, stamp(s.at)),
        el("td", {}, stepKind(s)),
        el("td", { class: "mono" }, s.by),
        el("td", {}, departmentName(s.department)),
        el("td", { class: "wrap" }, stepNote(s)))));
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
      const kind = order && kinds[order.type];
      // the order's department, else the one its type goes to (orders.yaml types.<type>.department)
      const proposed = order && !order.department && kind && kind.department ? kind.department : null;
      if (order && !department.dataset.touched) {
        if (order.department) department.value = order.department;
        else if (proposed) department.value = proposed;
      }
      $("assign-proposed").hidden = department.hidden || !proposed || department.value !== proposed;
    }
    const follow = $("follow-up-form");
    if (follow) {
      const kind = order && kinds[order.type];
      const milestones = kind ? kind.milestones : [];
      const on = !!order && order.state === "assigned" && milestones.length > 0;
      follow.hidden = !on;
      const box = $("follow-up-buttons");
      if (box.dataset.type !== (order ? order.type : "")) {
        box.dataset.type = order ? order.type : "";
        box.replaceChildren(...milestones.map((m) => {
          const button = el("button", { type: "button", class: "follow-up", id: "btn-follow-" + m, dataset: { verb: "follow-up", milestone: m } }, milestoneName(m));
          button.addEventListener("click", () => act(button));
          return button;
        }));
      }
      const reached = new Set((order ? order.steps : []).filter((s) => s.kind === "followed_up").map((s) => s.detail.milestone));
      for (const button of box.querySelectorAll("button")) {
        button.disabled = pending || !on;
        button.classList.toggle("done", reached.has(button.dataset.milestone));
      }
      any = any || on;
    }
    const at = $("action-at-field");
    if (at) at.hidden = !order || !["assigned", "accepted"].includes(order.state);
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
    if (types.ok) kinds = Object.fromEntries(types.data.types.map((kind) => [kind.name, kind]));
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
    if (verb === "follow-up") body.milestone = button.dataset.milestone;
    const at = $("action-at");
    if (at && (verb === "follow-up" || verb === "answer") && at.value) {
      const when = fromLocal(at.value);
      if (when === null) {
        Console.flash($("order-message"), "error", t("orders.happened_bad"));
        return;
      }
      body.at = when;
    }
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
      if (at) at.value = "";
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
