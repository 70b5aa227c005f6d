// 客户查询 at the desk: during a call (talking, on hold, wrap-up) the agent looks a customer up
// by phone number or 户号 (GET /api/desk/lookup). The API decides what shows in clear — the
// caller's own record — and masks any other; it refuses outside a call and audits each look-up.
// The form follows the seat's state as desk.js paints it (#agent-state's data-state).
"use strict";

(() => {
  const { t, el } = Console;
  const form = document.getElementById("lookup-form");
  if (!form) return;
  const by = document.getElementById("lookup-by");
  const query = document.getElementById("lookup-query");
  const submit = document.getElementById("lookup-submit");
  const message = document.getElementById("lookup-message");
  const results = document.getElementById("lookup-results");
  const state = document.getElementById("agent-state");
  const ON_A_CALL = new Set(["talking", "hold", "wrap_up"]);
  let onCall = null;

  function follow() {
    const now = ON_A_CALL.has(state.dataset.state);
    if (now === onCall) return;
    onCall = now;
    query.disabled = submit.disabled = !now;
    if (!now) {  // what was looked up belongs to the call that ended
      results.replaceChildren();
      query.value = "";
      Console.flash(message, "muted", state.dataset.state ? t("desk.lookup_no_call") : "");
    } else {
      Console.flash(message, "muted", "");
    }
  }

  function card(c) {
    const rows = [];
    for (const field of ["name", "account", "phone", "id_number", "address"]) {
      rows.push(el("dt", {}, t("desk.customer_" + field)));
      rows.push(el("dd", { class: field === "name" || field === "address" ? "" : "mono", dataset: { field } }, c[field] || t("common.none")));
    }
    const badges = [el("span", { class: "badge tier-" + c.tier }, t("tier." + c.tier))];
    if (c.list_mark === "red" || c.list_mark === "black") {
      badges.push(" ", el("span", { class: "badge mark-" + c.list_mark }, t("mark." + c.list_mark)));
    }
    return el("div", { class: "lookup-card", dataset: { customer: c.id, masked: c.masked ? "yes" : "no" } },
      el("div", { class: "row" }, badges,
        el("span", { class: "muted" }, c.on_the_call ? t("desk.lookup_on_call") : t("desk.lookup_masked"))),
      el("dl", { class: "kv" }, rows));
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const value = query.value.trim();
    if (!value || !onCall) return;
    submit.disabled = true;
    const result = await Console.api("GET", "/api/desk/lookup?" + new URLSearchParams({ [by.value]: value }));
    submit.disabled = !onCall;
    if (!result.ok) {
      results.replaceChildren();
      Console.flash(message, "error", Console.errorText(result));
      return;
    }
    const found = result.data;
    const label = t(by.value === "phone" ? "desk.lookup_by_phone" : "desk.lookup_by_account");
    Console.flash(message, found.length ? "ok" : "muted",
      found.length ? t("desk.lookup_found", { n: found.length }) : t("desk.lookup_none", { by: label, query: value }));
    results.replaceChildren(...found.map(card));
  });

  new MutationObserver(follow).observe(state, { attributes: true, attributeFilter: ["data-state"] });
  follow();
})();
