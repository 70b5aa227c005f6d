// 新建工单 on the agent desk: an order recorded from the call on the desk. The type's fields
// come from GET /api/orders/types (required ones marked); POST /api/orders takes the call and
// the calling number from the agent's own desk, so the form sends only the type and fields.
// A refusal (422) is shown next to each field it names.
"use strict";

const OrderForm = (() => {
  const { t, el } = Console;
  const $ = (id) => document.getElementById(id);
  const PHASES = new Set(["talking", "held", "wrap_up"]);
  let types = null; // the configured types, once loaded
  let callId = null; // the call the form is for (a new call starts a clean form)
  let sending = false;

  function choiceLabel(value) {
    const key = "orders.choice." + value;
    return t(key) !== key ? t(key) : value;
  }

  function kind() {
    return (types || []).find((k) => k.name === $("order-new-type").value) || null;
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
    return el("input", { ...attrs, type: "text" });
  }

  function renderFields() {
    const chosen = kind();
    $("order-new-fields").replaceChildren(...(chosen ? chosen.fields.map((f) =>
      el("label", { class: "field", dataset: { field: f.name } },
        el("span", {}, f.label, f.required ? el("b", { class: "required", title: t("orders.new_required") }, " *") : ""),
        input(f),
        el("span", { class: "field-problem", id: "order-problem-" + f.name, hidden: true }))) : []));
    $("order-new-submit").disabled = sending || !chosen;
    Console.flash($("order-new-message"), "ok", "");
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

  /** "order fields refused — phone: required (联系电话); area: …" → {phone: "required (联系电话)"} */
  function problems(message) {
    const found = {};
    const list = (message || "").split(" — ").slice(1).join(" — ");
    for (const part of list.split("; ")) {
      const at = part.indexOf(": ");
      if (at > 0) found[part.slice(0, at).trim()] = part.slice(at + 2);
    }
    return found;
  }

  async function submit() {
    const chosen = kind();
    if (!chosen || sending) return;
    for (const node of document.querySelectorAll("#order-new-fields .field-problem")) node.hidden = true;
    sending = true;
    $("order-new-submit").disabled = true;
    const result = await Console.api("POST", "/api/orders", { type: chosen.name, fields: values() });
    sending = false;
    $("order-new-submit").disabled = false;
    const message = $("order-new-message");
    if (result.ok) {
      const id = result.data.id;
      message.className = "message ok";
      message.replaceChildren(t("orders.new_created", { id }), " ",
        el("a", { href: "/orders/" + id, target: "_blank", id: "order-new-link" }, t("orders.new_open")));
      message.hidden = false;
      message.dataset.order = id;
      Console.setText("order-new-result", "#" + id);
      return;
    }
    const found = result.status === 422 ? problems(result.data && result.data.message) : {};
    for (const [name, why] of Object.entries(found)) {
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
    if (!on || call.id === callId) return;
    callId = call.id; // a new call: a clean form
    $("order-new-type").value = "";
    Console.setText("order-new-result", "");
    renderFields();
  }

  $("order-new-type").addEventListener("change", renderFields);
  $("order-new-submit").addEventListener("click", submit);
  load();
  return { show };
})();
