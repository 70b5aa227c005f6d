// 新建工单 on the agent desk: an order recorded from the call on the desk. The type's fields
// come from GET /api/orders/types (required ones marked, text limits shown and counted);
// the caller's customer card on the desk (call.customer) fills in name, phone, address and
// 户号. POST /api/orders takes the call and the calling number from the agent's own desk,
// so the form sends only the type and fields — and its idempotency key: one per form, kept
// across retries and new after a success, so a double click or a retry after a lost answer
// gets the first order back instead of a second one. A refusal (422) is shown next to each
// field it names (the answer's `problems`, in Chinese).
// The same form serves the shift lead's 新建工单 page (/orders/new), without a call: there
// the panel is always shown and a 来源 choice (来信, 来访, 网站, 电话) goes with the order.
"use strict";

const OrderForm = (() => {
  const { t, el } = Console;
  const $ = (id) => document.getElementById(id);
  const PHASES = new Set(["talking", "held", "wrap_up"]);
  const LONG_TEXT = 200; // text fields allowed more characters than this are multi-line
  /** Order fields filled from the customer card: field name → the card's key. */
  const FROM_CUSTOMER = { customer_name: "name", phone: "phone", address: "address", account: "account" };
  let types = null; // the configured types, once loaded
  let callId = null; // the call the form is for (a new call starts a clean form)
  let customer = null; // that call's customer card, when known and shown in clear
  let sending = false;
  let key = newKey(); // this form's idempotency key
  const created = new Map(); // call id → the order created on it from this page
  const listeners = [];

  /** A fresh random key (crypto.randomUUID needs a secure context; this does not). */
  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return "form-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function choiceLabel(value) {
    const k = "orders.choice." + value;
    return t(k) !== k ? t(k) : value;
  }

  function kind() {
    return (types || []).find((k) => k.name === $("order-new-type").value) || null;
  }

  function multiLine(field) {
    return field.type === "str" && (field.max_length || 0) > LONG_TEXT;
  }

  function input(field) {
    const attrs = { id: "order-field-" + field.name, name: field.name, dataset: { field: field.name } };
    if (field.required) attrs.required = true;
    if (field.type === "choice") {
      return el("select", attrs,
        el("option", { value: "" }, t("orders.new_choose")),
        (field.choices || []).map((c) => el("option", { value: c }, choiceLabel(c))));
    }
    if (field.type === "int") return el("input", { ...attrs, type: "number", step: 1 });
    if (field.type === "date") return el("input", { ...attrs, type: "date" });
    // no maxlength attribute: a pasted text is never cut silently; the counter turns red
    // and the server refuses it, naming the field
    if (multiLine(field)) return el("textarea", { ...attrs, rows: 4 });
    return el("input", { ...attrs, type: "text" });
  }

  function counter(field) {
    if (!multiLine(field)) return "";
    return el("span", { class: "field-count num", id: "order-count-" + field.name, title: t("orders.new_count") },
      "0/" + field.max_length);
  }

  function count(field) {
    const node = $("order-count-" + field.name);
    if (!node) return;
    const length = $("order-field-" + field.name).value.trim().length;
    node.textContent = length + "/" + field.max_length;
    node.classList.toggle("over", length > field.max_length);
  }

  /** Fill the empty fields the customer card knows (only a card shown in clear). */
  function prefill(chosen) {
    if (!customer || customer.masked) return false;
    let filled = false;
    for (const f of chosen.fields) {
      const value = customer[FROM_CUSTOMER[f.name]];
      const node = $("order-field-" + f.name);
      if (!FROM_CUSTOMER[f.name] || !node || node.value !== "" || value === null || value === undefined || value === "") continue;
      node.value = String(value);
      node.classList.add("prefilled");
      filled = true;
    }
    return filled;
  }

  function renderFields() {
    const chosen = kind();
    $("order-new-fields").replaceChildren(...(chosen ? chosen.fields.map((f) =>
      el("label", { class: "field" + (multiLine(f) ? " full" : ""), dataset: { field: f.name } },
        el("span", {}, f.label, f.required ? el("b", { class: "required", title: t("orders.new_required") }, " *") : "", " ", counter(f)),
        input(f),
        el("span", { class: "field-problem", id: "order-problem-" + f.name, hidden: true }))) : []));
    const filled = chosen ? prefill(chosen) : false;
    if (chosen) {
      for (const f of chosen.fields) {
        if (!multiLine(f)) continue;
        $("order-field-" + f.name).addEventListener("input", () => count(f));
        count(f);
      }
    }
    $("order-new-prefilled").hidden = !filled;
    $("order-new-submit").disabled = sending || !chosen;
  }

  function values() {
    const out = {};
    for (const f of kind().fields) {
      const raw = $("order-field-" + f.name).value.trim();
      if (raw === "") continue;
      out[f.name] = f.type === "int" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    }
    return out;
  }

  /** The form after a success: no type, no fields, a new key for the next order. */
  function clear() {
    key = newKey();
    $("order-new-type").value = "";
    renderFields();
  }

  async function submit() {
    const chosen = kind();
    if (!chosen || sending) return;
    for (const node of document.querySelectorAll("#order-new-fields .field-problem")) node.hidden = true;
    sending = true;
    const button = $("order-new-submit");
    button.disabled = true;
    button.textContent = t("orders.new_sending");
    const message = $("order-new-message");
    let result;
    try {
      const body = { type: chosen.name, fields: values(), idempotency_key: key };
      const source = $("order-new-source");
      if (source) body.source = source.value; // the lead's page: no call, the request's 来源
      result = await Console.api("POST", "/api/orders", body);
    } finally {
      sending = false;
      button.textContent = t("orders.new_submit");
      button.disabled = !kind();
    }
    if (result.ok) {
      const id = result.data.id;
      if (callId !== null) created.set(callId, id);
      clear();
      message.className = "message ok";
      message.replaceChildren(t("orders.new_created", { id }), " ",
        el("a", { href: "/orders/" + id, target: "_blank", id: "order-new-link" }, t("orders.new_open")));
      message.hidden = false;
      message.dataset.order = id;
      Console.setText("order-new-result", "#" + id);
      for (const listener of listeners) listener(callId, id);
      return;
    }
    // the key stays: sending the same form again is a retry of this request
    const problems = (result.status === 422 && result.data && result.data.problems) || {};
    for (const [name, why] of Object.entries(problems)) {
      const node = $("order-problem-" + name);
      if (node) { node.textContent = why; node.hidden = false; }
    }
    Console.flash(message, "error", t("orders.new_refused", { message: Console.errorText(result) }));
  }

  async function load() {
    const result = await Console.api("GET", "/api/orders/types");
    if (!result.ok) return;
    types = result.data.types;
    $("order-new-type").replaceChildren(
      el("option", { value: "" }, t("orders.new_pick")),
      ...types.map((k) => el("option", { value: k.name }, k.label)));
  }

  /** Called by the desk on every snapshot: shown while a call is talking, held or wrapping up. */
  function show(call) {
    const on = !!call && PHASES.has(call.phase);
    $("order-new-panel").hidden = !on;
    if (!on || call.id === callId) {
      if (on && !customer && call.customer) customer = call.customer; // the card came later
      return;
    }
    callId = call.id; // a new call: a clean form, a new key
    customer = call.customer || null;
    key = newKey();
    $("order-new-type").value = "";
    Console.setText("order-new-result", "");
    Console.flash($("order-new-message"), "ok", "");
    renderFields();
  }

  $("order-new-type").addEventListener("change", () => {
    Console.flash($("order-new-message"), "ok", "");
    renderFields();
  });
  $("order-new-submit").addEventListener("click", submit);
  load();
  return {
    show,
    /** The order created on this call from this page, or undefined. */
    orderFor: (id) => created.get(id),
    /** `listener(callId, orderId)` after each order created. */
    onCreated: (listener) => listeners.push(listener),
  };
})();
