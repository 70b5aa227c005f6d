// Wallboard (实时监控): the outbound campaigns' progress (外呼进度) from /api/outbound/campaigns,
// every 5 s. The panel stays hidden for a role that may not read the campaigns (403) and on a
// hotline without outbound.yaml (409).
"use strict";

(() => {
  const { t, el } = Console;
  const panel = document.getElementById("outbound-panel");
  const rows = document.getElementById("outbound-rows");
  if (!panel || !rows) return;
  const percent = (v) => (v === null || v === undefined ? "—" : (v * 100).toFixed(1) + "%");

  function row(c) {
    const p = c.progress;
    const over = p.window_drop_rate !== null && p.window_drop_rate > c.drop_cap;
    return el("tr", { "data-campaign": c.id }, [
      el("td", {}, c.name),
      el("td", {}, t("outbound.state." + c.state)),
      el("td", {}, `${p.closed} / ${p.entries}`),
      el("td", {}, String(p.reached)),
      el("td", {}, String(p.dialing)),
      el("td", { class: over ? "bad" : "" }, `${percent(p.window_drop_rate)} / ${percent(c.drop_cap)}`),
    ]);
  }

  async function load() {
    let response;
    try {
      response = await fetch("/api/outbound/campaigns", { credentials: "same-origin" });
    } catch (_) {
      return; // offline for a moment: the next round tries again
    }
    if (!response.ok) {
      panel.hidden = true;
      return;
    }
    const body = await response.json();
    rows.replaceChildren(...body.campaigns.map(row));
    panel.hidden = body.campaigns.length === 0;
  }

  load();
  setInterval(load, 5000);
})();
