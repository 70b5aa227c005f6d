// 排班管理: GET /api/wfm fills the history, special days and plans; a plan opens below
// (GET /api/wfm/plans/{id}) with three panes: forecast vs actual per half hour (ECharts)
// with each method's back-test, requirement vs scheduled agents with the week's coverage
// and efficiency, and the roster grid (agents × days, one colour per shift). The planner
// imports history, adds special days, makes (POST /api/wfm/plans) and publishes plans; the
// planner and the shift lead swap shifts in a published week (409 names the broken rules).
"use strict";

(() => {
  const { t, api, el, percent, flash, errorText } = Console;
  const $ = (id) => document.getElementById(id);
  const flags = JSON.parse($("wfm-flags").textContent);
  const message = $("wfm-message");
  const SLOTS = 336;
  const COLOURS = ["#1677d2", "#1f9d55", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#b45309", "#4f46e5", "#be123c", "#0d9488", "#a16207"];
  let overview = null;
  let plan = null;
  let tab = "forecast";
  let forecastChart = null;
  let staffingChart = null;
  let twinChart = null;

  if (typeof echarts !== "undefined" && !window.echartsMissing) {
    forecastChart = echarts.init($("wfm-forecast-chart"), null, { renderer: "canvas" });
    staffingChart = echarts.init($("wfm-staffing-chart"), null, { renderer: "canvas" });
    twinChart = echarts.init($("wfm-twin-chart"), null, { renderer: "canvas" });
    window.addEventListener("resize", () => { forecastChart.resize(); staffingChart.resize(); twinChart.resize(); });
  } else {
    $("wfm-chart-missing").hidden = false;
  }

  const fail = (result) => flash(message, "error", t("common.error", { message: errorText(result) }));
  const day = (i) => t("wfm.day." + i);
  const methodName = (m) => (t("wfm.method." + m) === "wfm.method." + m ? m : t("wfm.method." + m));
  const statusName = (s) => t("wfm.status." + s);
  const title = (q) => {
    const found = overview && overview.queues.find((x) => x.queue === q);
    return found ? found.title : q;
  };
  const range = (from, to) => { // slots [from, to) of one day as 08:00–09:30
    const hm = (i) => String(Math.floor(i / 2)).padStart(2, "0") + ":" + (i % 2 ? "30" : "00");
    return hm(from) + "–" + hm(to);
  };
  function runs(added) { // [0,0,3,3,3,0,2] → "01:00–02:30 +3，03:00–03:30 +2"
    const out = [];
    for (let i = 0; i < added.length;) {
      if (!added[i]) { i += 1; continue; }
      let j = i;
      while (j < added.length && added[j] === added[i]) j += 1;
      out.push(range(i, j) + " +" + added[i]);
      i = j;
    }
    return out.join("，");
  }
  function finding(f) {
    const key = "wfm.finding." + f.rule;
    return t(key) === key ? f.message : t(key, { queue: f.queue ? title(f.queue) : "", agents: (f.agents || []).slice(0, 5).join("、") });
  }

  function addDays(iso, n) {
    const d = new Date(iso + "T00:00:00Z");
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function slotLabel(weekStart, slot) {
    const d = addDays(weekStart, Math.floor(slot / 48)).slice(5);
    const m = (slot % 48) * 30;
    return d + " " + String(Math.floor(m / 60)).padStart(2, "0") + ":" + String(m % 60).padStart(2, "0");
  }

  // ---- overview ---------------------------------------------------------------------

  function renderHistory(h) {
    $("wfm-history").textContent = h.rows
      ? t("wfm.history_rows", { rows: h.rows, first: h.first, last: h.last, calls: h.calls, queues: h.queues.join("、") })
      : t("wfm.history_none");
  }

  function renderSpecials(list) {
    const body = document.querySelector("#wfm-specials tbody");
    if (!list.length) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("wfm.special_none"))));
      return;
    }
    body.replaceChildren(...list.map((s) => {
      const remove = flags.plan ? el("button", { type: "button", onclick: async () => {
        const result = await api("DELETE", "/api/wfm/specials/" + s.id);
        if (result.ok) load(); else fail(result);
      } }, t("wfm.special_remove")) : null;
      return el("tr", {}, el("td", {}, s.first), el("td", {}, s.last), el("td", { class: "num" }, "×" + s.factor),
        el("td", {}, s.queue ? title(s.queue) : t("wfm.special_all")), el("td", {}, s.label || ""), flags.plan ? el("td", {}, remove) : null);
    }));
  }

  function renderPlans(list) {
    const body = document.querySelector("#wfm-plans tbody");
    if (!list.length) {
      body.replaceChildren(el("tr", {}, el("td", { colspan: 10, class: "muted" }, t("wfm.no_plans"))));
      return;
    }
    body.replaceChildren(...list.map((p) => {
      const open = el("button", { type: "button", onclick: () => openPlan(p.id) }, t("wfm.open"));
      const publish = flags.plan && p.status === "draft" && p.agents
        ? el("button", { type: "button", class: "primary", onclick: (ev) => publishPlan(p.id, ev.target) }, t("wfm.publish"))
        : null;
      const w = p.week || {};
      return el("tr", { dataset: { plan: p.id, status: p.status } },
        el("td", { class: "num" }, p.id), el("td", {}, p.week_start + " – " + addDays(p.week_start, 6)),
        el("td", {}, statusName(p.status)), el("td", { class: "num" }, p.calls.toLocaleString("zh-CN")),
        el("td", { class: "num" }, p.agents || t("common.none")),
        el("td", { class: "num" }, w.coverage === undefined ? t("common.none") : percent(w.coverage)),
        el("td", { class: "num" }, w.efficiency === undefined ? t("common.none") : percent(w.efficiency)),
        el("td", { class: "num" }, p.gap === null || p.gap === undefined ? t("common.none") : percent(p.gap)),
        el("td", {}, p.created_by), el("td", {}, open, " ", publish));
    }));
  }

  async function load() {
    const result = await api("GET", "/api/wfm");
    if (!result.ok) { fail(result); return; }
    overview = result.data;
    renderHistory(overview.history);
    renderSpecials(overview.specials);
    renderPlans(overview.plans);
    const week = $("wfm-week");
    if (week && !week.value) week.value = overview.next_week;
    const queue = $("wfm-special-queue");
    if (queue && queue.options.length === 1) {
      for (const q of overview.queues) queue.append(el("option", { value: q.queue }, q.title));
    }
    if (flags.plan && !overview.rules) flash(message, "error", t("wfm.no_rules"));
    if (!plan && overview.plans.length) {
      const first = overview.plans.find((p) => p.status === "published" && p.week_start === overview.this_week) || overview.plans[0];
      openPlan(first.id);
    }
  }

  // ---- a plan -----------------------------------------------------------------------

  async function openPlan(id) {
    const result = await api("GET", "/api/wfm/plans/" + id);
    if (!result.ok) { fail(result); return; }
    plan = result.data;
    $("wfm-plan").hidden = false;
    $("wfm-plan-title").textContent = t("wfm.col_plan") + " " + plan.id + " · " + plan.week_start + " – " +
      addDays(plan.week_start, 6) + " · " + statusName(plan.status);
    const pick = $("wfm-queue");
    const chosen = pick.value;
    pick.replaceChildren(el("option", { value: "" }, t("wfm.all_queues")),
      ...Object.keys(plan.body.forecast).map((q) => el("option", { value: q }, title(q))));
    if (chosen && plan.body.forecast[chosen]) pick.value = chosen;
    draw();
  }

  function sum(arrays) {
    const out = new Array(SLOTS).fill(0);
    let any = false;
    for (const a of arrays) {
      if (!a) continue;
      any = true;
      a.forEach((v, i) => { out[i] = v === null || out[i] === null ? null : out[i] + v; });
    }
    return any ? out : null;
  }

  function chosenQueues() {
    const q = $("wfm-queue").value;
    return q ? [q] : Object.keys(plan.body.forecast);
  }

  function drawForecast() {
    const queues = chosenQueues();
    const forecast = sum(queues.map((q) => plan.body.forecast[q].offered));
    const actual = sum(queues.map((q) => plan.actual[q] || null));
    const labels = Array.from({ length: SLOTS }, (_, i) => slotLabel(plan.week_start, i));
    if (forecastChart) {
      forecastChart.setOption({
        animation: false, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 56 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 47 } },
        yAxis: { type: "value", name: t("wfm.col_calls") },
        dataZoom: [{ type: "slider", height: 16, bottom: 8 }],
        series: [
          { name: t("wfm.forecast"), type: "line", showSymbol: false, data: forecast.map((v) => (v === null ? null : +v.toFixed(1))), itemStyle: { color: "#1677d2" } },
          { name: t("wfm.actual"), type: "line", showSymbol: false, data: actual || [], itemStyle: { color: "#d23b3b" } },
        ],
      }, true);
    }
    const body = document.querySelector("#wfm-accuracy tbody");
    body.replaceChildren(...queues.flatMap((q) => {
      const f = plan.body.forecast[q];
      if (!f.accuracy.length) {
        return [el("tr", {}, el("td", {}, title(q)), el("td", {}, methodName(f.method) + t("wfm.chosen")),
          el("td", { colspan: 3, class: "muted" }, f.notes.join("；")))];
      }
      return f.accuracy.map((a) => el("tr", { class: a.method === f.method ? "chosen" : "" },
        el("td", {}, title(q)), el("td", {}, methodName(a.method) + (a.method === f.method ? t("wfm.chosen") : "")),
        el("td", { class: "num" }, a.wape === null ? t("common.none") : percent(a.wape)),
        el("td", { class: "num" }, a.bias === null ? t("common.none") : (a.bias >= 0 ? "+" : "") + percent(a.bias)),
        el("td", { class: "num" }, a.origins)));
    }));
  }

  function drawStaffing() {
    const queues = chosenQueues();
    const schedule = plan.body.schedule;
    const required = sum(queues.map((q) => plan.body.staffing[q] && plan.body.staffing[q].scheduled));
    const scheduled = schedule ? sum(queues.map((q) => schedule.queues[q] && schedule.queues[q].scheduled)) : null;
    const labels = Array.from({ length: SLOTS }, (_, i) => slotLabel(plan.week_start, i));
    if (staffingChart) {
      staffingChart.setOption({
        animation: false, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
        grid: { left: 48, right: 16, top: 32, bottom: 56 },
        xAxis: { type: "category", data: labels, axisLabel: { interval: 47 } },
        yAxis: { type: "value", name: t("wfm.col_agents"), minInterval: 1 },
        dataZoom: [{ type: "slider", height: 16, bottom: 8 }],
        series: [
          { name: t("wfm.required"), type: "line", step: "end", showSymbol: false, data: required || [], itemStyle: { color: "#d97706" } },
          { name: t("wfm.scheduled"), type: "line", step: "end", showSymbol: false, data: scheduled || [], itemStyle: { color: "#1f9d55" }, areaStyle: { opacity: 0.12 } },
        ],
      }, true);
    }
    const patience = queues.map((q) => [q, plan.body.staffing[q]]).filter(([, s]) => s && s.patience !== null && s.patience !== undefined);
    // measured queues one by one; those on the configured value in one clause
    const measured = patience.filter(([, s]) => s.patience_measured && s.patience_measured.mean !== null);
    const configured = patience.filter(([, s]) => !(s.patience_measured && s.patience_measured.mean !== null));
    const parts = measured.map(([q, s]) => t("wfm.patience_measured", {
      queue: title(q), seconds: Math.round(s.patience), abandons: s.patience_measured.abandons, waits: s.patience_measured.waits,
    }));
    if (configured.length) {
      parts.push(t("wfm.patience_configured", {
        queues: configured.map(([q]) => title(q)).join("、"), seconds: Math.round(configured[0][1].patience),
      }));
    }
    $("wfm-patience").textContent = parts.length ? t("wfm.patience") + parts.join("；") : "";
    const figures = $("wfm-week-figures");
    if (schedule) {
      const w = schedule.week;
      figures.textContent = t("wfm.week_cov", {
        coverage: percent(w.coverage), efficiency: percent(w.efficiency), under: w.under, over: w.over,
        gap: schedule.gap === null ? t("common.none") : percent(schedule.gap),
      });
      $("wfm-findings").replaceChildren(...schedule.findings.map((f) => el("li", { title: f.message }, finding(f))));
    } else {
      figures.textContent = "";
      $("wfm-findings").replaceChildren();
    }
  }

  function tierText(tiers) {
    const calls = Object.values(tiers.counts || {}).reduce((a, b) => a + b, 0);
    const shares = ["high", "middle", "ordinary"].map((k) => t("wfm.tier_" + k) + " " + percent(tiers.shares[k] || 0)).join("、");
    return t(calls ? "wfm.twin_tiers" : "wfm.twin_tiers_none", { shares: shares, calls: calls.toLocaleString("zh-CN") });
  }

  function drawTwin() {
    const raised = Object.values(plan.body.twin || {}).some((c) => c.raises && c.raises.length);
    const replanButton = $("wfm-replan");
    if (replanButton) { replanButton.hidden = !raised; replanButton.disabled = false; }
    const from = plan.body.replanned_from;
    $("wfm-replanned").textContent = from ? t("wfm.replanned_note", { from: from.plan, added: from.added, days: from.days.map(day).join("、") }) : "";
    const pick = $("wfm-twin-day");
    const chosen = pick.value;
    pick.replaceChildren(...[0, 1, 2, 3, 4, 5, 6].map((i) => el("option", { value: addDays(plan.week_start, i), dataset: { index: i } },
      day(i) + " " + addDays(plan.week_start, i).slice(5) + (plan.body.twin && plan.body.twin[i] ? " ✓" : ""))));
    if (chosen) pick.value = chosen;
    const index = pick.selectedIndex;
    const twin = plan.body.twin ? plan.body.twin[index] : null;
    const raises = document.querySelector("#wfm-twin-raises tbody");
    $("wfm-twin-chart").hidden = !twin;
    $("wfm-twin-raises").hidden = !twin;
    if (!twin) {
      $("wfm-twin-summary").textContent = t("wfm.twin_none");
      raises.replaceChildren();
      return;
    }
    if (twinChart) twinChart.resize();
    $("wfm-twin-summary").textContent = t("wfm.twin_summary", {
      date: twin.date, rounds: twin.rounds, seconds: twin.seconds, verdict: t(twin.met ? "wfm.twin_met" : "wfm.twin_not_met"),
    }) + (twin.tiers ? " · " + tierText(twin.tiers) : "");
    const queue = $("wfm-queue").value || Object.keys(twin.queues)[0];
    const q = twin.queues[queue];
    const hours = Array.from({ length: 48 }, (_, i) => slotLabel(plan.week_start, i).slice(6));
    const pct = (v) => (v === null ? null : +(v * 100).toFixed(1));
    if (twinChart && q) {
      twinChart.setOption({
        animation: false, tooltip: { trigger: "axis", renderMode: "richText" }, legend: { top: 0 },
        title: { text: title(queue), left: "right", textStyle: { fontSize: 12 } },
        grid: { left: 44, right: 16, top: 32, bottom: 26 },
        xAxis: { type: "category", data: hours },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: [
          { name: t("wfm.twin_formula"), type: "line", showSymbol: false, data: q.formula.map(pct), itemStyle: { color: "#1677d2" } },
          { name: t("wfm.twin_before"), type: "line", showSymbol: false, data: q.before.map(pct), itemStyle: { color: "#d23b3b" } },
          { name: t("wfm.twin_after"), type: "line", showSymbol: false, data: q.after.map(pct), itemStyle: { color: "#1f9d55" } },
          { name: t("wfm.twin_goal"), type: "line", showSymbol: false, data: q.goal.map(pct), lineStyle: { type: "dashed" }, itemStyle: { color: "#888" } },
        ],
      }, true);
    }
    if (!twin.raises.length) {
      raises.replaceChildren(el("tr", {}, el("td", { colspan: 3, class: "muted" }, t("wfm.twin_no_raise"))));
      return;
    }
    const groupName = (g) => { // "complaint:complaint+query" → 投诉举报（兼 业务查询与咨询）
      const [main, all] = g.split(":");
      const others = (all || "").split("+").filter((q) => q && q !== main).map(title);
      return title(main) + (others.length ? t("wfm.twin_also", { queues: others.join("、") }) : "");
    };
    raises.replaceChildren(...twin.raises.map((r) => el("tr", {}, el("td", {}, groupName(r.group)), el("td", { class: "num" }, r.total),
      el("td", { class: "wrap" }, runs(r.added)))));
  }

  function drawRoster() {
    const schedule = plan.body.schedule;
    const head = document.querySelector("#wfm-roster thead");
    const body = document.querySelector("#wfm-roster tbody");
    if (!schedule) {
      head.replaceChildren();
      body.replaceChildren(el("tr", {}, el("td", { class: "muted" }, t("wfm.no_rules"))));
      return;
    }
    const names = Object.keys(schedule.shifts);
    const colour = Object.fromEntries(names.map((n, i) => [n, COLOURS[i % COLOURS.length]]));
    head.replaceChildren(el("tr", {}, el("th", {}, t("wfm.agent")),
      ...[0, 1, 2, 3, 4, 5, 6].map((i) => el("th", {}, day(i) + " " + addDays(plan.week_start, i).slice(5))),
      el("th", {}, t("wfm.hours"))));
    const filter = ($("wfm-roster-filter").value || "").trim();
    const rows = schedule.agents.filter((a) => !filter || a.agent.includes(filter));
    body.replaceChildren(...rows.map((a) => el("tr", { dataset: { agent: a.agent } }, el("td", {}, a.agent),
      ...a.days.map((d) => (d
        ? el("td", { class: "shift", style: "background:" + colour[d.shift] + "22;border-left:3px solid " + colour[d.shift],
          title: d.meal ? t("wfm.meal", { from: slotLabel(plan.week_start, d.meal[0]).slice(6), to: slotLabel(plan.week_start, d.meal[1]).slice(6) }) : "" },
        d.from + "–" + d.to)
        : el("td", { class: "rest" }, t("wfm.rest")))),
      el("td", { class: "num" }, a.paid_hours))));
    const swap = $("wfm-swap");
    if (swap) {
      swap.hidden = plan.status !== "published";
      $("wfm-swap-day").replaceChildren(...[0, 1, 2, 3, 4, 5, 6].map((i) => el("option", { value: addDays(plan.week_start, i) }, day(i) + " " + addDays(plan.week_start, i).slice(5))));
      $("wfm-agents").replaceChildren(...schedule.agents.map((a) => el("option", { value: a.agent })));
    }
  }

  async function drawAdherence() {
    const input = $("wfm-adherence-day");
    if (!input.value) input.value = overview.today >= plan.week_start && overview.today <= addDays(plan.week_start, 6) ? overview.today : plan.week_start;
    const result = await api("GET", "/api/wfm/adherence?day=" + input.value);
    if (!result.ok) { fail(result); return; }
    const a = result.data;
    const field = (name, text) => { document.querySelector('#wfm-adherence-kpis [data-field="' + name + '"]').textContent = text; };
    const outBody = document.querySelector("#wfm-out-now tbody");
    const body = document.querySelector("#wfm-adherence tbody");
    if (!a.published) {
      for (const name of ["adherence", "attendance", "out_now", "ended", "present"]) field(name, name === "ended" ? t("wfm.not_published") : "—");
      outBody.replaceChildren();
      body.replaceChildren();
      return;
    }
    field("adherence", a.adherence === null ? t("common.none") : percent(a.adherence));
    field("ended", t("wfm.ended_of", { ended: a.ended_shifts, scheduled: a.scheduled_shifts }));
    field("attendance", a.attendance.rate === null ? t("common.none") : percent(a.attendance.rate));
    field("present", t("wfm.present_of", { present: a.attendance.present, scheduled: a.attendance.scheduled }));
    field("out_now", String(a.out_now.length));
    const state = (s, r) => t("state." + s) + (r ? "（" + t("reason." + r) + "）" : "");
    outBody.replaceChildren(...a.out_now.map((o) => el("tr", {}, el("td", {}, o.agent),
      el("td", {}, t("wfm.activity." + o.scheduled)), el("td", {}, state(o.state, o.reason)), el("td", {}, Console.clock(o.since)))));
    const mins = (v) => (v === null ? t("common.none") : v ? Console.duration(v) : "—");
    body.replaceChildren(...a.shifts.map((r) => el("tr", { dataset: { agent: r.agent } }, el("td", {}, r.agent),
      el("td", {}, Console.clock(r.start).slice(0, 5) + "–" + Console.clock(r.end).slice(0, 5)),
      el("td", { class: "num" }, r.absent ? t("wfm.absent") : percent(r.adherence)),
      el("td", { class: "num" }, mins(r.late_login)), el("td", { class: "num" }, mins(r.early_logout)),
      el("td", { class: "num" }, mins(r.break_overrun)))));
  }

  function draw() {
    if (!plan) return;
    for (const pane of document.querySelectorAll("[data-pane]")) pane.hidden = pane.dataset.pane !== tab;
    for (const b of document.querySelectorAll("#wfm-tabs button")) b.classList.toggle("active", b.dataset.tab === tab);
    if (tab === "forecast") { drawForecast(); if (forecastChart) forecastChart.resize(); }
    if (tab === "staffing") { drawStaffing(); drawTwin(); if (staffingChart) { staffingChart.resize(); twinChart.resize(); } }
    if (tab === "roster") drawRoster();
    if (tab === "adherence") drawAdherence();
  }

  async function publishPlan(id, button) {
    button.disabled = true;
    const result = await api("POST", "/api/wfm/plans/" + id + "/publish");
    if (result.ok) {
      flash(message, "ok", t("wfm.published", { id }));
      plan = null;
      await load();
      openPlan(id);
    } else {
      button.disabled = false;
      fail(result);
    }
  }

  // ---- forms ------------------------------------------------------------------------

  for (const b of document.querySelectorAll("#wfm-tabs button")) {
    b.addEventListener("click", () => { tab = b.dataset.tab; draw(); });
  }
  $("wfm-queue").addEventListener("change", draw);
  $("wfm-adherence-day").addEventListener("change", () => { if (plan) drawAdherence(); });
  $("wfm-twin-day").addEventListener("change", () => { if (plan) drawTwin(); });
  const twinRun = $("wfm-twin-run");
  if (twinRun) {
    twinRun.addEventListener("click", async () => {
      twinRun.disabled = true;
      flash(message, "info", t("wfm.twin_running"));
      const result = await api("POST", "/api/wfm/plans/" + plan.id + "/twin", { day: $("wfm-twin-day").value });
      twinRun.disabled = false;
      if (!result.ok) { fail(result); return; }
      flash(message, "", "");
      plan = result.data;
      drawTwin();
    });
  }
  const replan = $("wfm-replan");
  if (replan) {
    replan.addEventListener("click", async () => {
      replan.disabled = true;
      flash(message, "info", t("wfm.replanning"));
      const result = await api("POST", "/api/wfm/plans/" + plan.id + "/replan", { time_limit: 60 });
      if (!result.ok) { replan.disabled = false; fail(result); return; }
      flash(message, "ok", t("wfm.replanned", { id: result.data.id, from: plan.id }));
      await load();
      openPlan(result.data.id);
    });
  }
  $("wfm-roster-filter").addEventListener("input", () => { if (plan) drawRoster(); });

  const make = $("wfm-make");
  if (make) {
    make.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const button = $("wfm-make-button");
      button.disabled = true;
      flash(message, "info", t("wfm.making"));
      const result = await api("POST", "/api/wfm/plans", { week: $("wfm-week").value, schedule: true, time_limit: 60 });
      button.disabled = false;
      if (!result.ok) { fail(result); return; }
      flash(message, "ok", t("wfm.made", { id: result.data.id }));
      await load();
      openPlan(result.data.id);
    });
  }

  const importForm = $("wfm-import");
  if (importForm) {
    importForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const file = $("wfm-file").files[0];
      if (!file) return;
      const button = importForm.querySelector("button");
      button.disabled = true;
      const data = new FormData();
      data.append("file", file, file.name);
      let response;
      try {
        response = await fetch("/api/wfm/history", { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body: data });
      } catch (err) {
        button.disabled = false;
        flash(message, "error", String(err));
        return;
      }
      const body = await response.json().catch(() => ({}));
      button.disabled = false;
      if (response.ok) {
        flash(message, "ok", t("wfm.imported", { rows: body.rows }));
        importForm.reset();
        load();
      } else {
        flash(message, "error", t("common.error", { message: body.message || response.status }));
      }
    });
  }

  const special = $("wfm-special-form");
  if (special) {
    special.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = new FormData(special);
      const button = special.querySelector("button");
      button.disabled = true;
      const result = await api("POST", "/api/wfm/specials", {
        first: f.get("first"), last: f.get("last") || null, factor: Number(f.get("factor")),
        queue: f.get("queue") || null, label: f.get("label") || "",
      });
      button.disabled = false;
      if (!result.ok) { fail(result); return; }
      flash(message, "ok", t("wfm.special_added"));
      special.reset();
      load();
    });
  }

  const swap = $("wfm-swap");
  if (swap) {
    swap.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const f = new FormData(swap);
      const button = swap.querySelector("button");
      button.disabled = true;
      const result = await api("POST", "/api/wfm/plans/" + plan.id + "/swap", { day: f.get("day"), first: f.get("first").trim(), second: f.get("second").trim() });
      button.disabled = false;
      if (!result.ok) { fail(result); return; }
      plan = result.data;
      flash(message, "ok", t("wfm.swapped"));
      swap.reset();
      drawRoster();
    });
  }

  load();
})();
