// The customer list (/customers): search by name, phone or account, filter by tier and list.
// Rows come from GET /api/crm/customers, already masked for the viewer's role by the API.
"use strict";

(() => {
  const { t, api, el, errorText, flash } = Console;
  const form = document.getElementById("crm-search");
  const q = document.getElementById("crm-q");
  const tier = document.getElementById("crm-tier");
  const mark = document.getElementById("crm-list");
  const rows = document.getElementById("crm-rows");
  const count = document.getElementById("crm-count");
  const message = document.getElementById("crm-message");
  const LIMIT = 100;

  function params() {
    const p = new URLSearchParams();
    const text = q.value.trim();
    if (text) p.set("q", text);
    if (tier.value) p.set("tier", tier.value);
    if (mark.value) p.set("list_mark", mark.value);
    return p;
  }

  function row(c) {
    const link = el("a", { href: "/customers/" + c.id }, c.name);
    return el("tr", { dataset: { id: String(c.id) } },
      el("td", {}, link),
      el("td", { class: "mono" }, c.account),
      el("td", { class: "mono" }, c.phone),
      el("td", {}, el("span", { class: "badge tier-" + c.tier }, t("crm.tier_" + c.tier))),
      el("td", { class: "num" }, c.score.toFixed(1)),
      el("td", {}, t("crm.lifecycle_" + c.lifecycle)),
      el("td", {}, c.list_mark === "none" ? t("common.none")
        : el("span", { class: "badge mark-" + c.list_mark }, t("crm.mark_" + c.list_mark))));
  }

  let asked = 0; // the latest search; an earlier one answered after it is dropped

  async function refresh() {
    const mine = ++asked;
    flash(message, "error", "");
    const p = params();
    const search = p.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
    p.set("limit", String(LIMIT));
    const result = await api("GET", "/api/crm/customers?" + p);
    if (mine !== asked) return; // the page's first, unfiltered list answering late
    if (!result.ok) {
      rows.replaceChildren();
      count.textContent = "";
      flash(message, "error", errorText(result));
      return;
    }
    count.textContent = t("crm.count", { n: result.data.length });
    rows.replaceChildren(...(result.data.length ? result.data.map(row)
      : [el("tr", {}, el("td", { colspan: "7", class: "muted" }, t("crm.none")))]));
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  tier.addEventListener("change", refresh);
  mark.addEventListener("change", refresh);
  refresh();
})();
