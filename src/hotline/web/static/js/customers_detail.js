// One customer's page (/customers/{id}): identity (as masked by the API), account facts, tier
// with its score breakdown, lists with their history, lifecycle stage, hints, contact history;
// for the shift lead and the supervisor, the form that sets the list mark.
// Everything comes from GET /api/crm/customers/{id} and is inserted as text.
"use strict";

(() => {
  const { t, term, api, el, errorText, flash, stamp } = Console;
  const id = document.getElementById("customer").dataset.customer;
  const message = document.getElementById("crm-message");
  const listForm = document.getElementById("crm-list-form");
  const listMessage = document.getElementById("crm-list-message");
  const none = () => t("common.none");

  function text(nodeId, value) {
    document.getElementById(nodeId).textContent =
      value === null || value === undefined || value === "" ? none() : String(value);
  }

  function money(value) {
    return value === null || value === undefined ? none() : value.toFixed(2);
  }

  function pairs(node, items) {
    node.replaceChildren(...items.flatMap(([key, value]) =>
      [el("dt", {}, t(key)), el("dd", { class: "num" }, value)]));
  }

  function badge(node, cls, label) {
    node.className = "badge " + cls;
    node.textContent = label;
    node.hidden = false;
  }

  function show(c) {
    document.getElementById("crm-name").textContent = c.name;
    document.title = c.name + " · " + document.title.split(" · ").pop();
    badge(document.getElementById("crm-tier-badge"), "tier-" + c.tier, t("crm.tier_" + c.tier));
    const markBadge = document.getElementById("crm-mark-badge");
    if (c.list_mark === "none") markBadge.hidden = true;
    else badge(markBadge, "mark-" + c.list_mark, t("crm.mark_" + c.list_mark));
    document.getElementById("crm-masked").hidden = !c.masked;
    text("crm-account", c.account);
    text("crm-phone", c.phone);
    text("crm-bound", c.bound_phones.join("、"));
    text("crm-id-number", c.id_number);
    text("crm-address", c.address);

    const f = c.account_facts;
    pairs(document.getElementById("crm-facts"), [
      ["crm.customer_type", t("crm.type_" + f.customer_type)],
      ["crm.arpu", money(f.arpu)],
      ["crm.tenure_months", f.tenure_months ?? none()],
      ["crm.credit_score", f.credit_score ?? none()],
      ["crm.last_bill", money(f.last_bill)],
      ["crm.avg_bill_6m", money(f.avg_bill_6m)],
      ["crm.arrears", money(f.arrears)],
      ["crm.prepaid_balance", money(f.prepaid_balance)],
      ["crm.account_manager", f.account_manager || none()],
      ["crm.has_password", t(f.has_password ? "crm.yes" : "crm.no")],
    ]);
    const s = c.scoring;
    pairs(document.getElementById("crm-scoring"), [
      ["crm.tier", t("crm.tier_" + s.tier)],
      ["crm.score_total", s.score.toFixed(1)],
      ["crm.arpu_points", s.arpu_points.toFixed(1)],
      ["crm.tenure_points", s.tenure_points.toFixed(1)],
      ["crm.credit_points", s.credit_points.toFixed(1)],
    ]);

    const hints = document.getElementById("crm-hints");
    hints.replaceChildren(...(c.hints.length
      ? c.hints.map((h) => el("li", { class: h.level, dataset: { rule: h.rule } }, h.message))
      : [el("li", { class: "muted" }, t("crm.no_hints"))]));

    const ls = c.list_status;
    text("crm-list-mark", t("crm.mark_" + ls.mark));
    text("crm-list-reason", ls.reason);
    text("crm-list-by", ls.set_by);
    text("crm-list-at", ls.set_at ? stamp(ls.set_at) : "");
    text("crm-lifecycle", t("crm.lifecycle_" + c.lifecycle));
    if (listForm) document.getElementById("crm-list-new").value = ls.mark;

    const history = document.getElementById("crm-list-history");
    history.replaceChildren(...(c.list_history.length
      ? c.list_history.map((h) => el("tr", {},
        el("td", { class: "num" }, stamp(h.at)), el("td", {}, t("crm.mark_" + h.mark)),
        el("td", {}, t("crm.mark_" + h.previous)), el("td", { class: "wrap" }, h.reason || none()),
        el("td", { class: "mono" }, h.set_by || none())))
      : [el("tr", {}, el("td", { colspan: "5", class: "muted" }, t("crm.no_history")))]));

    const contacts = document.getElementById("crm-contacts");
    contacts.replaceChildren(...(c.contacts.length
      ? c.contacts.map((k) => el("tr", {},
        el("td", { class: "num" }, stamp(k.at)), el("td", { class: "mono" }, k.ref),
        el("td", { class: "mono" }, Console.caller(k.caller)), el("td", {}, term("queue", k.queue)),
        el("td", { class: "mono" }, k.agent || none()),
        el("td", {}, [k.outcome && term("outcome", k.outcome), k.disposition && term("disposition", k.disposition)]
          .filter(Boolean).join(" / ") || none())))
      : [el("tr", {}, el("td", { colspan: "6", class: "muted" }, t("crm.no_contacts")))]));
  }

  async function load() {
    const result = await api("GET", "/api/crm/customers/" + encodeURIComponent(id));
    if (!result.ok) { flash(message, "error", errorText(result)); return; }
    flash(message, "error", "");
    show(result.data);
  }

  if (listForm) {
    listForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const body = {
        mark: document.getElementById("crm-list-new").value,
        reason: document.getElementById("crm-list-new-reason").value.trim(),
      };
      const result = await api("POST", "/api/crm/customers/" + encodeURIComponent(id) + "/list", body);
      if (!result.ok) { flash(listMessage, "error", errorText(result)); return; }
      flash(listMessage, "ok", t("crm.list_saved"));
      document.getElementById("crm-list-new-reason").value = "";
      await load();
    });
  }

  load();
})();
