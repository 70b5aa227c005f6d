// 激励积分: the month's leaderboard per team, an agent's item lines (明细) and the lead's
// form to give points (GET /api/incentives/board, /agents/{id}, /grants; POST /grants).
// An agent gets their own team's board and their own lines from the API, nothing more.
"use strict";

(() => {
  const { t, api, el, flash, errorText, stamp, duration, lang } = Console;
  const $ = (id) => document.getElementById(id);
  const message = $("pts-message");
  const panel = $("pts-board-panel");
  const me = panel.dataset.agent;
  const isAgent = panel.dataset.isAgent === "yes";
  let awardTitles = {};
  let shown = null; // the agent whose lines are shown

  function fail(result) { flash(message, "error", t("common.error", { message: errorText(result) })); }
  function month() { return $("pts-month").value || $("pts-month").dataset.default; }
  function signed(points) { return points > 0 ? "+" + points : String(points); }
  function pointsCell(points) {
    return el("td", { class: "num " + (points > 0 ? "pts-plus" : points < 0 ? "pts-minus" : "") }, signed(points));
  }
  function score(value) { return value === null || value === undefined ? t("common.none") : Number(value).toFixed(2); }
  function mono(text) { return el("span", { class: "mono" }, text); }
  const comma = lang === "en" ? ", " : "，";
  const semicolon = lang === "en" ? "; " : "；";

  function why(item) {
    const w = item.why;
    if (item.source === "qa") {
      const key = w.band === "fatal" ? "incentives.why.qa_fatal" : "incentives.why.qa";
      let text = t(key, { score: score(w.score), band: w.band });
      if (w.first_score !== undefined) text += t("incentives.why.revised", { first: score(w.first_score) });
      return [text];
    }
    if (item.source === "satisfaction") return [t("incentives.why.satisfaction", { score: w.score })];
    if (item.source === "attendance") {
      return [t("incentives.why." + w.status, { late: duration(w.late_s) }), " ", mono(w.shift)];
    }
    if (item.source === "case") return [t("incentives.why.case_" + w.verdict, { title: w.title })];
    return [w.reason, " · ", mono(w.by)];
  }

  function ref(item) {
    const r = item.ref;
    if (r.kind === "qa.evaluation_scored") return t("incentives.ref.evaluation", { id: r.evaluation });
    if (r.kind === "qa.case_added") return t("incentives.ref.case", { case: r.case });
    if (r.kind === "incentives.points_given") return t("incentives.ref.grant", { grant: r.grant });
    if (r.kind === "wfm.schedule") return t("incentives.ref.plan", { plan: r.plan });
    return t("incentives.ref.log", { id: r.id });
  }

  function teamName(team) { return team === null ? t("incentives.team_none") : team; }

  function awards(ids) {
    return ids.map((id) => el("span", { class: "pts-award", dataset: { award: id } }, awardTitles[id] || id));
  }

  function teamTable(team) {
    const rows = team.standings.map((s) => el("tr", { class: s.agent === me ? "pts-me" : null, dataset: { agent: s.agent, rank: s.rank, points: s.points } },
      el("td", { class: "num" }, s.rank),
      el("td", {}, s.name, s.agent === me ? t("incentives.you") : ""),
      el("td", {}, mono(s.agent)),
      pointsCell(s.points),
      el("td", { class: "num" }, s.evaluations),
      el("td", { class: "num" }, score(s.qa_average)),
      el("td", {}, awards(s.awards)),
      el("td", {}, !isAgent || s.agent === me ? el("button", { type: "button", onclick: () => showAgent(s.agent) }, t("incentives.view")) : "")));
    return el("div", { class: "pts-team", dataset: { team: team.team === null ? "" : team.team } },
      el("h3", {}, t("incentives.team_title", { team: teamName(team.team), count: team.standings.length })),
      el("table", { class: "grid" },
        el("thead", {}, el("tr", {},
          el("th", { class: "num" }, t("incentives.col_rank")), el("th", {}, t("incentives.col_agent")), el("th", {}, t("incentives.col_id")),
          el("th", { class: "num" }, t("incentives.col_points")), el("th", { class: "num" }, t("incentives.col_evaluations")),
          el("th", { class: "num" }, t("incentives.col_qa_average")), el("th", {}, t("incentives.col_awards")), el("th", {}, t("incentives.col_lines")))),
        el("tbody", {}, rows.length ? rows : el("tr", {}, el("td", { colspan: 8, class: "muted" }, t("incentives.board_none"))))));
  }

  function showRules(rules) {
    const items = [];
    if (rules.qa) {
      const bands = rules.qa.bands.map((b) => b.band + " " + signed(b.points)).join(comma);
      items.push(t("incentives.rules.qa", { bands, fatal: signed(rules.qa.fatal) }));
    }
    if (rules.satisfaction) {
      const scores = Object.entries(rules.satisfaction).map(([s, p]) => t("incentives.rules.score", { score: s, points: signed(p) })).join(comma);
      items.push(t("incentives.rules.satisfaction", { scores }));
    }
    if (rules.attendance) {
      const a = rules.attendance;
      items.push(t("incentives.rules.attendance", { on_time: signed(a.on_time), late: signed(a.late), absent: signed(a.absent) }));
    }
    if (rules.cases) items.push(t("incentives.rules.cases", { good: signed(rules.cases.good), bad: signed(rules.cases.bad) }));
    items.push(t("incentives.rules.manual", { limit: rules.manual_limit }));
    for (const a of rules.awards) {
      items.push(t("incentives.rules.award", { title: awardTitles[a.id], top: a.top, by: t("incentives.by." + a.by), min: a.min_evaluations }));
    }
    $("pts-rules").replaceChildren(...items.map((text) => el("li", {}, text)));
    const hint = $("pts-give-hint");
    if (hint) hint.textContent = t("incentives.give_hint", { limit: rules.manual_limit });
  }

  async function loadBoard() {
    const result = await api("GET", "/api/incentives/board?month=" + encodeURIComponent(month()));
    if (!result.ok) { fail(result); $("pts-board").replaceChildren(); return; }
    const data = result.data;
    awardTitles = Object.fromEntries(data.rules.awards.map((a) => [a.id, lang === "en" && a.title_en ? a.title_en : a.title]));
    showRules(data.rules);
    const state = [t(data.final ? "incentives.final" : "incentives.provisional")];
    if (!data.attendance && data.rules.attendance) state.push(t("incentives.no_attendance"));
    $("pts-state").textContent = state.join(semicolon);
    $("pts-board").replaceChildren(...(data.teams.length ? data.teams.map(teamTable) : [el("p", { class: "muted" }, t("incentives.board_none"))]));
    const list = $("pts-agents");
    if (list) list.replaceChildren(...data.teams.flatMap((team) => team.standings.map((s) => el("option", { value: s.agent }, s.name))));
  }

  async function showAgent(agent) {
    const result = await api("GET", "/api/incentives/agents/" + encodeURIComponent(agent) + "?month=" + encodeURIComponent(month()));
    if (!result.ok) { fail(result); return; }
    shown = agent;
    const data = result.data;
    const s = data.standing;
    $("pts-detail").hidden = false;
    $("pts-detail-title").textContent = agent === me ? t("incentives.mine") : t("incentives.detail_title", { name: s.name, agent: s.agent });
    $("pts-summary").replaceChildren(t("incentives.mine_summary", { points: s.points, rank: s.rank, size: data.team_size }), " ", ...awards(s.awards));
    const body = document.querySelector("#pts-items tbody");
    body.replaceChildren(...(s.items.length ? s.items.map((i) => el("tr", { dataset: { source: i.source, points: i.points } },
      el("td", {}, stamp(i.at)), el("td", {}, t("incentives.source." + i.source)), el("td", {}, why(i)), pointsCell(i.points), el("td", {}, ref(i))))
      : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("incentives.none")))]));
    $("pts-total").textContent = signed(s.points);
  }

  async function loadGrants() {
    const table = document.querySelector("#pts-grants tbody");
    if (!table) return;
    const result = await api("GET", "/api/incentives/grants?month=" + encodeURIComponent(month()));
    if (!result.ok) { fail(result); return; }
    const rows = result.data.grants;
    table.replaceChildren(...(rows.length ? rows.map((g) => el("tr", { dataset: { grant: g.id } },
      el("td", {}, stamp(g.at)), el("td", {}, mono(g.agent)), pointsCell(g.points), el("td", {}, g.reason), el("td", {}, mono(g.by))))
      : [el("tr", {}, el("td", { colspan: 5, class: "muted" }, t("incentives.grants_none")))]));
  }

  async function loadAll() {
    await loadBoard();
    if (isAgent && me) await showAgent(me);
    else if (shown) await showAgent(shown);
    await loadGrants();
  }

  $("pts-month").addEventListener("change", loadAll);

  const form = $("pts-give");
  if (form) {
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = $("pts-give-button");
      button.disabled = true;
      const body = { agent: $("pts-agent").value.trim(), points: Number($("pts-points").value), reason: $("pts-reason").value.trim() };
      const result = await api("POST", "/api/incentives/grants", body);
      button.disabled = false;
      if (!result.ok) { fail(result); return; }
      flash(message, "ok", t("incentives.given", { agent: result.data.agent, points: signed(result.data.points) }));
      $("pts-points").value = "";
      $("pts-reason").value = "";
      shown = result.data.agent;
      await loadAll();
    });
  }

  loadAll();
})();
