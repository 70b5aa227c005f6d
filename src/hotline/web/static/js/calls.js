// 通话记录: the latest calls (GET /api/calls), and one call (GET /api/calls/{call}) with one
// <audio controls> per recording (GET /api/calls/{call}/recordings). The players load nothing
// until played (preload="none"): each playback is one request, and one audit row.
"use strict";

(() => {
  const { t, term, el, api, flash, errorText, stamp, duration } = Console;
  const $ = (id) => document.getElementById(id);
  const none = () => t("common.none");
  const seconds = (s) => (s === null || s === undefined ? none() : duration(s));

  async function list() {
    const result = await api("GET", "/api/calls?limit=200");
    if (!result.ok) { flash($("calls-message"), "error", errorText(result)); return; }
    const rows = result.data;
    $("calls-rows").replaceChildren(...(rows.length
      ? rows.map((c) => el("tr", { dataset: { call: c.call } },
          el("td", { class: "num" }, c.arrived_at ? stamp(c.arrived_at) : none()),
          el("td", { class: "mono" }, el("a", { href: "/calls/" + encodeURIComponent(c.call) }, c.call)),
          el("td", { class: "mono" }, Console.caller(c.caller)),
          el("td", {}, term("queue", c.queue)),
          el("td", { class: "mono" }, c.agent || none()),
          el("td", {}, term("outcome", c.outcome)),
          el("td", { class: "num" }, seconds(c.talk_s)),
          el("td", {}, term("disposition", c.disposition))))
      : [el("tr", {}, el("td", { colspan: "8", class: "muted" }, t("calls.none")))]));
  }

  function showCall(c) {
    const values = {
      arrived_at: c.arrived_at ? stamp(c.arrived_at) : none(),
      wait_s: seconds(c.wait_s), talk_s: seconds(c.talk_s), hold_s: seconds(c.hold_s),
      queue: term("queue", c.queue), outcome: term("outcome", c.outcome), tier: term("tier", c.tier),
      disposition: term("disposition", c.disposition),
    };
    for (const node of document.querySelectorAll("#call-fields [data-field]")) {
      const field = node.dataset.field;
      const value = field in values ? values[field] : c[field];
      node.textContent = value === null || value === undefined || value === "" ? none() : String(value);
    }
  }

  function showRecordings(callId, recordings) {
    const list = $("call-recordings");
    list.replaceChildren(...(recordings.length
      ? recordings.map((r) => el("li", { dataset: { recording: r.name } },
          el("div", {}, t("calls.recording_of", { agent: r.agent, seconds: seconds(r.seconds) })),
          el("audio", {
            controls: "", preload: "none",
            src: "/api/calls/" + encodeURIComponent(callId) + "/recordings/" + encodeURIComponent(r.name),
          })))
      : [el("li", { class: "muted" }, t("calls.no_recordings"))]));
  }

  async function detail(root) {
    const callId = root.dataset.call;
    const message = $("call-message");
    if (!callId) { flash(message, "error", t("calls.not_found")); return; }
    const path = "/api/calls/" + encodeURIComponent(callId);
    const result = await api("GET", path);
    if (!result.ok) {
      flash(message, "error", result.status === 404 ? t("calls.not_found") : errorText(result));
    } else {
      showCall(result.data);
    }
    if (root.dataset.canHear !== "true") return;
    const heard = await api("GET", path + "/recordings");
    if (heard.ok) {
      showRecordings(callId, heard.data);
    } else {
      const text = heard.status === 403 ? t("calls.recordings_forbidden") : errorText(heard);
      $("call-recordings").replaceChildren(el("li", { class: "muted" }, text));
    }
  }

  const root = $("call");
  if (root) detail(root); else list();
})();
