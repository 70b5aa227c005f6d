// 受理工单正确率 (GET /api/order-accuracy): the figure, the query orders' key-field
// rate against 95 % and the other orders' rate against 99 % (green met, red missed), the wrong
// key fields, the orders that have one and those with a QA verdict. 质检改判: one order's
// checked items (GET /api/order-accuracy/orders/{id}) with the automatic verdict, the order
// field each read and the QA inspector's latest verdict; a QA inspector overrules one item
// with a reason (POST …/verdicts) and the figure is loaded again.
"use strict";

(() => {
  const { t, el, api, flash, errorText, percent, stamp } = Console;
  const $ = (id) => document.getElementById(id);
  const judge = $("review").dataset.judge === "yes";
  let shown = null; // the order whose items are shown

  function tile(id, value, goal) {
    const kpi = $(id);
    kpi.querySelector(".value").textContent = value === null ? t("common.none") : percent(value);
    kpi.classList.toggle("good", value !== null && goal !== null && value >= goal);
    kpi.classList.toggle("bad", value !== null && goal !== null && value < goal);
  }

  const verdictName = (ok) => t("accuracy.verdict." + (ok ? "true" : "false"));
  const verdictCell = (ok) => el("td", { class: "verdict " + (ok ? "ok" : "bad") }, verdictName(ok));

  function orderRows(list, empty) {
    if (!list.length) return [el("tr", {}, el("td", { colspan: 4, class: "muted" }, t(empty)))];
    return list.map((o) => el("tr", { dataset: { order: o.order } },
      el("td", { class: "num" }, el("a", { href: "/orders/" + o.order }, String(o.order))),
      el("td", {}, o.type_label),
      el("td", { class: "wrap" }, Object.entries(o.wrong)
        .map(([f, why]) => t("accuracy.key." + f) + "：" + t("accuracy.problem." + why)).join("；")
        || t("accuracy.order_right")),
      el("td", {}, el("button", { type: "button", class: "inspect", onclick: () => open(o.order) },
        t("accuracy.inspect")))));
  }

  function render(d) {
    tile("kpi-rate", d.rate, null);
    $("kpi-rate").querySelector('[data-field="rate_sub"]').textContent =
      t("accuracy.rate_sub", { correct: d.correct, orders: d.orders });
    tile("kpi-query", d.query_key_field_rate, d.query_goal);
    tile("kpi-other", d.other_rate, d.other_goal);
    $("accuracy-fields").replaceChildren(...Object.entries(d.wrong_fields).map(([field, n]) =>
      el("tr", { dataset: { field } }, el("td", {}, t("accuracy.key." + field)), el("td", { class: "num" }, String(n)))));
    $("accuracy-orders").replaceChildren(...orderRows(d.wrong_orders, "accuracy.none_wrong"));
    $("accuracy-reviewed").replaceChildren(...orderRows(d.reviewed_orders, "accuracy.none_reviewed"));
  }

  async function load() {
    // the days are the hotline's: empty inputs take the server's default (the last 30 days
    // on the hotline's clock, which the demo runs ahead of the wall) and show it back
    const from = $("accuracy-from");
    const to = $("accuracy-to");
    const params = new URLSearchParams();
    if (from.value) params.set("from", from.value);
    if (to.value) params.set("to", to.value);
    const result = await api("GET", "/api/order-accuracy?" + params.toString());
    if (!result.ok) {
      flash($("accuracy-message"), "error", errorText(result));
      return;
    }
    flash($("accuracy-message"), "", "");
    from.value = result.data.from;
    to.value = result.data.to;
    render(result.data);
  }

  // 质检改判: one order's items

  const itemName = (item) => t("accuracy.key." + item.field);

  function why(item) {
    if (item.automatic) return "";
    const crm = item.detail ? t("accuracy.crm_has", { name: item.detail }) : "";
    return "（" + t("accuracy.problem." + item.problem) + crm + "）";
  }

  function choose(item) {
    $("verdict-field").value = item.field;
    $("verdict-correct").value = item.correct ? "false" : "true"; // the other verdict
    $("verdict-reason").focus();
  }

  function showItems(d) {
    shown = d.order;
    $("review-empty").hidden = true;
    $("review-body").hidden = false;
    $("review-title").textContent = t("accuracy.review_title", {
      order: d.order, type: d.type_label,
      state: t(d.correct ? "accuracy.order_right" : "accuracy.order_wrong"),
    });
    $("review-items").replaceChildren(...d.items.map((item) => el("tr",
      { dataset: { field: item.field }, class: item.verdict ? "changed" : null },
      el("td", {}, itemName(item)),
      el("td", {}, item.source_label || t("accuracy.no_source")),
      el("td", { class: "wrap" }, verdictName(item.automatic) + why(item)),
      verdictCell(item.correct),
      el("td", { class: "wrap", dataset: { role: "verdict" } }, item.verdict
        ? t("accuracy.verdict_line", { by: item.verdict.by, at: stamp(item.verdict.at), reason: item.verdict.reason })
        : t("common.none")),
      el("td", {}, judge
        ? el("button", { type: "button", class: "judge", onclick: () => choose(item) }, t("accuracy.judge"))
        : ""))));
    const byField = Object.fromEntries(d.items.map((item) => [item.field, item]));
    $("review-history").replaceChildren(...(d.history.length
      ? d.history.map((v) => el("tr", {},
          el("td", { class: "num" }, stamp(v.at)),
          el("td", { class: "mono" }, v.by),
          el("td", {}, byField[v.field] ? itemName(byField[v.field]) : t("accuracy.key." + v.field)),
          el("td", {}, t("accuracy.change", { from: verdictName(v.was), to: verdictName(v.correct) })),
          el("td", { class: "wrap" }, v.reason)))
      : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("accuracy.no_history")))]));
    if (judge) {
      const select = $("verdict-field");
      const chosen = select.value;
      select.replaceChildren(...d.items.map((item) => el("option", { value: item.field },
        itemName(item) + (item.source_label ? "（" + item.source_label + "）" : ""))));
      if (byField[chosen]) select.value = chosen;
      $("review-form").hidden = false;
    }
  }

  async function open(order) {
    $("review-order").value = String(order);
    const result = await api("GET", "/api/order-accuracy/orders/" + order);
    if (!result.ok) {
      flash($("review-message"), "error", errorText(result));
      return;
    }
    flash($("review-message"), "", "");
    if (judge && shown !== result.data.order) $("verdict-reason").value = "";
    showItems(result.data);
    $("review").scrollIntoView({ block: "start" });
  }

  $("review-lookup").addEventListener("submit", (event) => {
    event.preventDefault();
    const order = $("review-order").value.trim();
    if (!/^[1-9]\d{0,9}$/.test(order)) {
      flash($("review-message"), "error", t("accuracy.bad_order"));
      return;
    }
    open(Number(order));
  });

  if (judge) {
    $("review-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (shown === null) return;
      const field = $("verdict-field").value;
      const correct = $("verdict-correct").value === "true";
      const button = $("verdict-submit");
      button.disabled = true;
      const result = await api("POST", "/api/order-accuracy/orders/" + shown + "/verdicts",
        { field, correct, reason: $("verdict-reason").value });
      button.disabled = false;
      if (!result.ok) {
        flash($("review-message"), "error", errorText(result));
        if (result.data && result.data.field === "body.reason") $("verdict-reason").focus();
        return;
      }
      $("verdict-reason").value = "";
      showItems(result.data);
      flash($("review-message"), "ok", t("accuracy.saved", {
        item: t("accuracy.key." + field), verdict: verdictName(correct) }));
      load();
    });
  }

  $("accuracy-period").addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  load();
})();
