// 外呼 on the agent desk (GET/POST /api/desk/outbound…): the record a preview campaign shows
// the agent (下一条 → 拨打 / 跳过) and, on a campaign call, the campaign, the customer and who
// answered (本人 / 非本人 / 答录机). Hidden for agents who serve no running campaign.
"use strict";

(() => {
  const { t, api, el, flash, errorText, clock } = Console;
  const $ = (id) => document.getElementById(id);
  const panel = $("desk-outbound");
  if (!panel) return;
  let busy = false; // one request at a time: no double dial
  let shown = null; // the entry on screen
  let lastView = null;

  function detailLabel(key) {
    const word = "outbound.desk.detail." + key;
    const text = t(word);
    return text === word ? key : text;
  }

  function recordRows(record) {
    const rows = [
      [t("outbound.desk.campaign"), record.campaign_name],
      [t("outbound.desk.customer"), record.name || t("common.none")],
      [t("outbound.desk.number"), record.number],
      [t("outbound.desk.class"), t("outbound.class." + record.customer_class)],
      [t("outbound.desk.tries"), t("outbound.desk.tries_of", { tries: record.tries, max: record.max_tries })],
    ];
    if (record.last_result) rows.push([t("outbound.desk.last"), t("outbound.result." + record.last_result)]);
    for (const [key, value] of Object.entries(record.details || {})) rows.push([detailLabel(key), value]);
    const nodes = [];
    for (const [label, value] of rows) nodes.push(el("dt", {}, label), el("dd", {}, value));
    if (record.important) {
      nodes.push(el("dt", {}, t("outbound.desk.important")), el("dd", { class: "important" }, "★"));
    }
    return nodes;
  }

  function render(view) {
    lastView = view;
    panel.hidden = !view.serves && !view.call && !view.preview;
    $("ob-waiting").textContent = view.waiting ? t("outbound.desk.waiting", { n: view.waiting }) : "";
    $("ob-call").hidden = !view.call;
    $("ob-preview").hidden = !!view.call || !view.preview;
    $("ob-idle").hidden = !!view.call || !!view.preview;
    if (view.call) {
      $("ob-call-record").replaceChildren(...recordRows(view.call));
      for (const button of panel.querySelectorAll("[data-party]")) {
        button.setAttribute("aria-pressed", String(button.dataset.party === view.call.party));
      }
    } else if (view.preview) {
      if (!shown || shown.entry !== view.preview.entry) {
        $("ob-record").replaceChildren(...recordRows(view.preview));
      }
      $("ob-until").textContent = t("outbound.desk.held_until", { time: clock(view.preview.until).slice(0, 5) });
    } else {
      $("ob-none").hidden = view.waiting > 0;
      const ringing = view.dialled && view.dialled.state === "ringing";
      $("ob-next").disabled = busy || ringing || view.waiting === 0;
    }
    const status = dialledText(view);
    $("ob-status").hidden = !status;
    $("ob-status").textContent = status;
    shown = view.preview;
  }

  /** What became of the record the agent dialled last, while no other is on screen. */
  function dialledText(view) {
    const last = view.dialled;
    if (!last || view.call || view.preview) return "";
    const name = last.name || last.number;
    if (last.state === "ringing") return t("outbound.desk.ringing", { name });
    if (last.state !== "ended") return "";
    const result = t("outbound.result." + last.last_result);
    if (last.next_at) return t("outbound.desk.again", { name, result, time: clock(last.next_at).slice(0, 5) });
    return t("outbound.desk.closed", { name, result });
  }

  async function send(method, path, body, done) {
    if (busy) return;
    busy = true;
    for (const button of panel.querySelectorAll("button")) button.disabled = true;
    try {
      const result = await api(method, path, body);
      if (!result.ok) {
        flash($("ob-message"), "error", errorText(result));
        await refresh();
        return;
      }
      flash($("ob-message"), "ok", done ? done(result.data) : "");
      render(result.data);
    } finally {
      busy = false;
      for (const button of panel.querySelectorAll("button")) button.disabled = false;
      if (lastView) render(lastView); // 下一条 as the view allows
    }
  }

  async function refresh() {
    if (busy) return;
    const result = await api("GET", "/api/desk/outbound");
    if (result.ok && !busy) render(result.data);
  }

  $("ob-next").addEventListener("click", () => send("POST", "/api/desk/outbound/next", null, (view) =>
    view.preview ? "" : t("outbound.desk.none")));
  $("ob-dial").addEventListener("click", () => {
    if (!shown) return;
    // what the call does next is the status line's (振铃中, then the result)
    send("POST", "/api/desk/outbound/dial", { entry: shown.entry }, () => "");
  });
  $("ob-skip").addEventListener("click", () => {
    if (!shown) return;
    send("POST", "/api/desk/outbound/skip", { entry: shown.entry }, () => t("outbound.desk.skipped"));
  });
  for (const button of panel.querySelectorAll("[data-party]")) {
    button.addEventListener("click", () => send("POST", "/api/desk/outbound/party", { party: button.dataset.party },
      () => t("outbound.desk.party_saved", { party: button.textContent })));
  }

  // every 3 s while a running campaign calls on this agent; an agent none does (most seats,
  // most days) asks every 30 s, enough to see a campaign started for its queue
  async function poll() {
    await refresh();
    const active = lastView && (lastView.serves || lastView.call || lastView.preview);
    setTimeout(poll, active ? 3000 : 30000);
  }
  poll();
})();
