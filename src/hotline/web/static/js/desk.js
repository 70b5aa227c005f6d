// Agent desk (坐席工作台): renders the desk snapshots from /api/stream and sends the agent's
// commands (state, answer, hold, transfer, consult, hang up, wrap-up) to the REST API.
"use strict";

(() => {
  const { t, el, stamp } = Console;
  const $ = (id) => document.getElementById(id);
  const agentId = $("desk").dataset.agent;
  const CALL_STATES = new Set(["ringing", "talking", "hold", "wrap_up"]);

  let softphone = null; // the browser softphone (softphone.js), on real calls with WebRTC
  let desk = null; // the last snapshot
  let receivedAt = 0; // performance.now() when it came
  let live = false; // whether the stream is delivering
  let pending = false; // a command is in flight: buttons stay disabled
  let acwCall = null; // the call whose wrap-up form is shown (reset the form for a new one)
  const PROPOSED = "order_created"; // the disposition proposed when an order was taken

  /** Engine time now, from the snapshot's own time and the wall time since it came. */
  function engineNow() {
    if (!desk) return 0;
    const base = desk.at ?? desk.agent.since + desk.agent.in_state_s;
    return base + ((performance.now() - receivedAt) / 1000) * (desk.speed ?? 1);
  }

  function known(key) {
    return t(key) !== key;
  }

  /** A disposition's title: the configured (Chinese) one, or its English translation. */
  function translated(code, title) {
    return Console.lang !== "zh" && known("disposition." + code) ? t("disposition." + code) : title;
  }

  function badges(call) {
    const out = [el("span", { class: "badge tier-" + call.tier }, t("tier." + call.tier))];
    if (call.list_mark === "red" || call.list_mark === "black") {
      out.push(" ", el("span", { class: "badge mark-" + call.list_mark }, t("mark." + call.list_mark)));
    }
    return out;
  }

  function customerRows(customer) {
    if (!customer) return [el("dd", { class: "muted", style: "grid-column: 1 / -1" }, t("desk.customer_unknown"))];
    const rows = [];
    for (const field of ["name", "account", "phone", "id_number", "address"]) {
      rows.push(el("dt", {}, t("desk.customer_" + field)));
      rows.push(el("dd", { class: field === "name" || field === "address" ? "" : "mono" }, customer[field] ?? t("common.none")));
    }
    if (customer.lifecycle) {  // a CRM customer: lifecycle stage (生命周期) and hints
      rows.push(el("dt", {}, t("desk.customer_lifecycle")));
      rows.push(el("dd", {}, known("lifecycle." + customer.lifecycle) ? t("lifecycle." + customer.lifecycle) : customer.lifecycle));
    }
    for (const hint of customer.hints || []) {
      rows.push(el("dd", { class: "hint hint-" + hint.level, style: "grid-column: 1 / -1" }, hint.message));
    }
    return rows;
  }

  function historyRows(history) {
    if (!history || !history.length) {
      return [el("tr", {}, el("td", { colspan: 4, class: "muted" }, t("desk.history_empty")))];
    }
    return history.map((h) =>
      el("tr", {},
        el("td", { class: "num" }, stamp(h.at)),
        el("td", {}, known("outcome." + h.outcome) ? t("outcome." + h.outcome) : h.outcome ?? ""),
        el("td", { class: "mono" }, h.agent ?? t("common.none")),
        el("td", {}, dispositionTitle(h.disposition))));
  }

  function ordersView(orders) {
    if (!orders || !orders.length) return [t("desk.orders_empty")];
    return [el("ul", {}, orders.map((o) => el("li", {}, [o.id, o.title ?? o.summary ?? ""].filter(Boolean).join(" · "))))];
  }

  function dispositionTitle(code) {
    if (!code) return t("common.none");
    const entry = (desk && desk.dispositions || []).find((d) => d.code === code);
    return translated(code, entry ? entry.title : code);
  }

  function fillSelect(select, options) {
    const signature = options.map((o) => o.value + "=" + o.label).join("|");
    if (select.dataset.signature === signature) return;
    const chosen = select.value;
    select.replaceChildren(...options.map((o) => el("option", { value: o.value }, o.label)));
    if (options.some((o) => o.value === chosen)) select.value = chosen;
    select.dataset.signature = signature;
  }

  function renderAgent(agent) {
    const state = agent.state;
    const label = $("agent-state");
    label.className = "state state-big st-" + state;
    label.dataset.state = state;
    let text = t("state." + state);
    if (agent.reason && state === "not_ready") text += " · " + t("reason." + agent.reason);
    label.textContent = text;
    if (agent.name) Console.setText("agent-name", agent.name);

    const out = state === "logged_out";
    const onCall = CALL_STATES.has(state);
    const enable = {
      "btn-login": out,
      "btn-ready": !out && !onCall && state !== "ready",
      "btn-not-ready": !out && !onCall,
      "btn-break": !out && !onCall,
      "btn-away": !out && !onCall && state !== "away",
      "btn-logout": !out && !onCall,
    };
    for (const [id, on] of Object.entries(enable)) $(id).disabled = pending || !on;
    $("reason").disabled = pending || out || onCall;
    $("btn-ready").classList.toggle("pressed", state === "ready");
    $("btn-away").classList.toggle("pressed", state === "away");
    $("btn-not-ready").classList.toggle("pressed", state === "not_ready" && agent.reason !== "break");
    $("btn-break").classList.toggle("pressed", state === "not_ready" && agent.reason === "break");
  }

  function renderCall(call) {
    const phase = call ? call.phase : null;
    $("call-empty").hidden = !!call;
    $("call-info").hidden = !call;
    $("call-info").dataset.outside = call && call.outside ? JSON.stringify(call.outside) : "";  // desk_outside.js
    const phaseLabel = $("call-phase");
    phaseLabel.textContent = call ? t("phase." + phase) : "";
    phaseLabel.className = "right state" + (call ? " st-" + (phase === "held" ? "hold" : phase) : "");

    // the incoming-call pop-up (来电弹屏) while the phone rings; a customer the hotline
    // called (外呼) is not 来电
    $("popup").hidden = phase !== "ringing";
    const outbound = !!(call && call.outbound);
    Console.setText("call-title", t(outbound ? "desk.call_outbound" : "desk.call"));
    Console.setText("popup-title", t(outbound ? "desk.popup_outbound" : "desk.popup"));
    if (call) {
      $("call-badges").replaceChildren(...badges(call));
      Console.setText("call-caller", Console.caller(call.caller));
      Console.setText("call-queue", queueTitle(call.queue));
      Console.setText("call-waited", Console.duration(call.waited_s));
      $("popup-box").className = "popup tier-" + call.tier;
      $("popup-badges").replaceChildren(...badges(call));
      Console.setText("popup-caller", Console.caller(call.caller));
      Console.setText("popup-queue", queueTitle(call.queue));
      Console.setText("popup-waited", Console.duration(call.waited_s));
      $("popup-customer").replaceChildren(...customerRows(call.customer));
      const recent = (call.history || []).slice(0, 3);
      $("popup-history").replaceChildren(
        ...(recent.length
          ? recent.map((h) => el("div", {}, stamp(h.at) + " · " + (known("outcome." + h.outcome) ? t("outcome." + h.outcome) : h.outcome) + " · " + dispositionTitle(h.disposition)))
          : [t("desk.history_empty")]));
      $("popup-orders").replaceChildren(...ordersView(call.orders));
    }

    const show = (id, on) => { $(id).hidden = !on; $(id).disabled = pending || !on; };
    show("btn-answer", phase === "ringing");
    show("btn-hold", phase === "talking");
    show("btn-retrieve", phase === "held");
    show("btn-hangup", phase === "talking" || phase === "held");
    // consult transfer (咨询转接): this seat asked, or is the colleague consulted
    const consult = call ? call.consult : null;
    $("consult-info").hidden = !consult;
    const asking = !!consult && consult.role === "asking";
    if (consult) {
      Console.setText("consult-text", asking
        ? t("desk.consult_asking", { target: consult.target, queue: queueTitle(consult.to_queue), phase: t("phase." + consult.phase) })
        : t("desk.consult_from", { agent: consult.agent }));
    }
    show("btn-consult-complete", asking);
    $("btn-consult-complete").disabled = pending || !asking || consult.phase !== "talking";
    show("btn-consult-cancel", asking);
    const canTransfer = (phase === "talking" || phase === "held") && !consult;
    $("btn-transfer").disabled = pending || !canTransfer;
    $("btn-consult").disabled = pending || !canTransfer;
    $("transfer-queue").disabled = pending || !canTransfer;
    $("call-actions").hidden = phase === "wrap_up";
    // a real (SIP) phone rings: it is answered on the phone, the desk cannot pick it up;
    // unless the browser softphone is registered: then 接听 answers in the browser
    const inBrowser = !!(softphone && softphone.state === "registered");
    // on a mobile (移动坐席) the call rings the mobile, never the browser
    const onMobile = !!(typeof DeskReach !== "undefined" && DeskReach.mobile);
    const onPhone = !!(desk && desk.agent && desk.agent.answers_on_phone) && (!inBrowser || onMobile);
    for (const id of ["btn-answer", "popup-answer"]) {
      $(id).textContent = t(!onPhone ? "desk.answer" : onMobile ? "reach.answer_on_mobile" : "desk.answer_on_phone");
      if (onPhone) $(id).disabled = true;
      if (inBrowser && !onMobile) $(id).disabled = pending || !softphone.ringing;
    }
    if (!onPhone && !inBrowser) $("popup-answer").disabled = pending;

    // customer, history and orders (also kept during wrap-up, for the note)
    $("customer").replaceChildren(...(call ? customerRows(call.customer) : [el("dd", { class: "muted" }, t("common.none"))]));
    $("history").replaceChildren(...historyRows(call ? call.history : []));
    $("orders").replaceChildren(...ordersView(call ? call.orders : []));

    // after-call work (事后处理)
    const acw = phase === "wrap_up";
    $("acw-panel").hidden = !acw;
    if (acw && acwCall !== call.id) {
      acwCall = call.id;
      $("note").value = "";
      $("then").value = "ready";
      $("disposition").value = ""; // chosen by the agent, never a default
      $("disposition-proposed").hidden = true;
      $("note-required").hidden = true;
      proposeFor(call.id);
    }
    if (!acw) acwCall = null;
    $("btn-finish").disabled = pending || !acw || !$("disposition").value;
    OrderForm.show(call); // 新建工单 while talking, held or wrapping up (orders_new.js)
  }

  /**
   * A call on which a work order was taken proposes 已建工单 (when that disposition is
   * configured): the order made from this page, else one the API lists for the call.
   * Only while the agent has chosen nothing; the hint says why it is proposed.
   */
  async function proposeFor(call) {
    let order = OrderForm.orderFor(call);
    if (order === undefined) {
      const found = await Console.api("GET", "/api/orders?limit=1&call=" + encodeURIComponent(call));
      if (!found.ok || !Array.isArray(found.data) || !found.data.length) return;
      order = found.data[0].id;
    }
    propose(call, order);
  }

  function propose(call, order) {
    const select = $("disposition");
    if (acwCall !== call || select.value) return;
    if (!Array.from(select.options).some((o) => o.value === PROPOSED)) return;
    select.value = PROPOSED;
    Console.setText("disposition-proposed", t("desk.disposition_proposed", { id: order }));
    $("disposition-proposed").hidden = false;
    $("note-required").hidden = !noteRequired();
    $("btn-finish").disabled = pending;
  }

  function queueTitle(name) {
    const entry = (desk && desk.queues || []).find((q) => q.name === name);
    return entry ? entry.title : name || t("common.none");
  }

  function render(snapshot) {
    desk = snapshot;
    receivedAt = performance.now();
    renderAgent(desk.agent);
    if (desk.queues && desk.queues.length) {
      fillSelect($("transfer-queue"), desk.queues.map((q) => ({ value: q.name, label: q.title || q.name })));
    }
    fillSelect($("disposition"), [{ value: "", label: t("desk.disposition_pick") }].concat(
      (desk.dispositions || []).map((d) => ({ value: d.code, label: translated(d.code, d.title) }))));
    if (desk.scripts) {
      if (desk.scripts.greeting) Console.setText("script-greeting", desk.scripts.greeting);
      if (desk.scripts.closing) Console.setText("script-closing", desk.scripts.closing);
    }
    renderCall(desk.call);
    tick();
  }

  function tick() {
    if (!desk) return;
    const now = engineNow();
    Console.setText("agent-in-state", Console.duration(now - desk.agent.since));
    const call = desk.call;
    if (call && call.phase === "wrap_up") {
      const clock = $("acw-clock");
      if (call.wrap_up_ends === null || call.wrap_up_ends === undefined) {
        Console.setText("acw-clock", t("common.none"));
      } else {
        const left = call.wrap_up_ends - now;
        clock.classList.toggle("over", left < 0);
        Console.setText("acw-clock", left >= 0 ? Console.duration(left) : t("desk.acw_over") + " " + Console.duration(-left));
      }
    }
  }

  async function refresh() {
    const result = await Console.api("GET", "/api/desk");
    if (result.ok && result.data && result.data.agent) render(result.data);
  }

  async function command(path, body) {
    pending = true;
    if (desk) render(desk);
    const result = await Console.api("POST", path, body);
    pending = false;
    const message = $("desk-message");
    if (result.ok) {
      Console.flash(message, "ok", "");
      if (result.data && result.data.agent) render(result.data);
      else if (!live) await refresh();
      else if (desk) render(desk);
    } else {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      if (desk) render(desk);
    }
  }

  // state buttons: POST /api/agents/{id}/state
  for (const id of ["btn-login", "btn-ready", "btn-not-ready", "btn-break", "btn-away", "btn-logout"]) {
    const button = $(id);
    button.addEventListener("click", () => {
      const body = { state: button.dataset.state };
      if (body.state === "not_ready") body.reason = button.dataset.reason || $("reason").value;
      command("/api/agents/" + encodeURIComponent(agentId) + "/state", body);
    });
  }
  // call buttons: POST /api/desk/<action>; 接听 on real calls answers the browser softphone
  for (const id of ["btn-answer", "popup-answer", "btn-hold", "btn-retrieve", "btn-hangup"]) {
    const button = $(id);
    button.addEventListener("click", () => {
      const real = !!(desk && desk.agent && desk.agent.answers_on_phone);
      if (button.dataset.action === "answer" && real && softphone && softphone.ringing) {
        softphone.answer();
        return;
      }
      command("/api/desk/" + button.dataset.action);
    });
  }
  $("btn-transfer").addEventListener("click", () =>
    command("/api/desk/transfer", { queue: $("transfer-queue").value }));
  $("btn-consult").addEventListener("click", () =>
    command("/api/desk/consult", { queue: $("transfer-queue").value }));
  $("btn-consult-complete").addEventListener("click", () => command("/api/desk/consult/complete"));
  $("btn-consult-cancel").addEventListener("click", () => command("/api/desk/consult/cancel"));
  /** Whether the chosen disposition needs a note (desk.note_optional in hotline.yaml). */
  function noteRequired() {
    const chosen = ((desk && desk.dispositions) || []).find((d) => d.code === $("disposition").value);
    return !!chosen && chosen.note_required !== false;
  }

  $("btn-finish").addEventListener("click", () => {
    if (!$("disposition").value) { // the button waits for a choice; say so if reached anyway
      Console.flash($("desk-message"), "error", t("desk.disposition_required"));
      return;
    }
    if (noteRequired() && !$("note").value.trim()) {
      Console.flash($("desk-message"), "error", t("desk.note_required"));
      $("note").focus();
      return;
    }
    command("/api/desk/wrap-up", {
      disposition: $("disposition").value,
      note: $("note").value.trim(),
      then: $("then").value,
    });
  });
  $("disposition").addEventListener("change", () => {
    $("note-required").hidden = !noteRequired();
    $("btn-finish").disabled = pending || !acwCall || !$("disposition").value;
  });
  OrderForm.onCreated((call, order) => propose(call, order)); // an order taken during wrap-up

  // the browser softphone: a SIP credential for this session, registered over websocket
  // (POST /api/desk/softphone answers 409 when the hotline has no WebRTC: the panel stays hidden)
  if (typeof Softphone !== "undefined" && $("softphone")) {
    softphone = Softphone.mount($("softphone"), {
      t,
      credentials: async () => {
        const result = await Console.api("POST", "/api/desk/softphone");
        return result.ok ? result.data : null;
      },
      onChange: (phone) => {
        $("softphone-panel").hidden = phone.state === "off";
        if (desk) render(desk);
      },
    });
  }

  if (typeof DeskReach !== "undefined") DeskReach.onChange = () => { if (desk) render(desk); };

  Console.stream((message) => {
    live = true;
    if (message.kind === "desk" && message.agent) render(message);
  });
  refresh();
  setInterval(tick, 250);
})();
