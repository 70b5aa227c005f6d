// 我的排班: the signed-in agent's published shifts of a week (GET /api/wfm/mine?week=),
// with the meal break; the arrows move a week back or forward.
"use strict";

(() => {
  const { t, api, el, flash, errorText } = Console;
  const $ = (id) => document.getElementById(id);
  let week = null;

  function addDays(iso, n) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function hhmm(slot) {
    const m = (slot % 48) * 30;
    return String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }

  async function load() {
    const result = await api("GET", "/api/wfm/mine" + (week ? "?week=" + week : ""));
    if (!result.ok) {
      flash($("mine-message"), "error", t("common.error", { message: errorText(result) }));
      return;
    }
    const data = result.data;
    week = data.week_start;
    $("mine-week").textContent = week + " – " + addDays(week, 6);
    const body = document.querySelector("#mine-days tbody");
    if (!data.published) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 2, class: "muted" }, t("wfm.not_published"))));
      return;
    }
    if (data.days.every((d) => !d)) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 2, class: "muted" }, t("wfm.mine_none"))));
      return;
    }
    body.replaceChildren(...data.days.map((d, i) => el("tr", { dataset: { day: i } },
      el("td", {}, t("wfm.day." + i) + " " + addDays(week, i).slice(5)),
      el("td", {}, d ? d.from + "–" + d.to + (d.meal ? "（" + t("wfm.meal", { from: hhmm(d.meal[0]), to: hhmm(d.meal[1]) }) + "）" : "") : t("wfm.rest")))));
  }

  $("mine-prev").addEventListener("click", () => { week = addDays(week, -7); load(); });
  $("mine-next").addEventListener("click", () => { week = addDays(week, 7); load(); });
  load();
})();
