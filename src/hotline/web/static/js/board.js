// Wallboard (实时监控): renders the board snapshots from /api/stream — totals, queue cards,
// agents grid, the half-hour chart and alerts — and ticks times in between snapshots.
"use strict";

(() => {
  const { t, el } = Console;
  const $ = (id) => document.getElementById(id);
  const TIERS = ["high", "middle", "ordinary"];
  // 值班长 and 主管 may click an agent's tile to force its state (the page marks the grid)
  const commandable = $("agents").classList.contains("commandable");

  let board = null;
  let receivedAt = 0;
  let chartSignature = "";
  let chart = null;
  if (typeof echarts !== "undefined" && !window.echartsMissing) {
    chart = echarts.init($("chart"), null, { renderer: "canvas" });
    window.addEventListener("resize", () => chart.resize());
  } else {
    // No vendored ECharts (scripts/vendor-js.sh not run): say so; every number still updates.
    $("chart").hidden = true;
    $("chart-missing").hidden = false;
  }

  // The server's first paint gives the bars' lengths as data attributes (a style attribute
  // would be refused by the Content-Security-Policy); set them through the CSSOM.
  for (const bar of document.querySelectorAll(".slbar [data-width]")) bar.style.width = bar.dataset.width + "%";
  for (const mark of document.querySelectorAll(".slbar [data-left]")) mark.style.left = mark.dataset.left + "%";

  const has = (v) => v !== null && v !== undefined;
  const below = (sl) => !!sl && has(sl.value) && has(sl.goal) && sl.value < sl.goal;
  const slClass = (sl) => (below(sl) ? "bad" : sl && has(sl.value) ? "good" : "");

  function elapsed() {
    return ((performance.now() - receivedAt) / 1000) * (board ? board.speed || 0 : 0);
  }

  function goalText(sl) {
    if (!sl || !has(sl.goal)) return "";
    return t("board.goal", { goal: Math.round(sl.goal * 100) + "%", target: sl.target_s ?? 20 });
  }

  function renderTotals(totals) {
    const root = $("totals");
    const set = (field, text, cls) => {
      const node = root.querySelector('[data-field="' + field + '"]');
      if (node.textContent !== text) node.textContent = text;
      if (cls !== undefined) node.className = "value " + cls;
    };
    const rate = totals.offered ? totals.answered / totals.offered : null;
    set("waiting", Console.count(totals.waiting));
    set("offered", Console.count(totals.offered));
    set("answered", Console.count(totals.answered));
    // the queue cards count a call once per queue it entered: say so where the sums differ
    const queueSum = (sum, calls) => (has(sum) && sum !== calls
      ? t("board.queue_sum", { sum: Console.count(sum), extra: Console.count(sum - calls) }) : "");
    set("queue_offered", queueSum(totals.queue_offered, totals.offered));
    set("queue_answered", queueSum(totals.queue_answered, totals.answered));
    set("abandoned", Console.count(totals.abandoned));
    set("answer_rate", Console.percent(rate));
    set("service_level", Console.percent(totals.service_level ? totals.service_level.value : null), slClass(totals.service_level));
    root.querySelector('[data-field="goal"]').textContent = goalText(totals.service_level);
    $("kpi-sl").classList.toggle("alert", below(totals.service_level));
    if ($("kpi-window")) {
      const w = totals.window || {};
      set("window_sl", Console.percent(has(w.service_level) ? w.service_level : null));
      const counts = t("board.window_counts", {
        offered: Console.count(w.offered || 0),
        answered: Console.count(w.answered || 0),
        abandoned: Console.count(w.abandoned || 0),
      });
      const sub = root.querySelector('[data-field="window_counts"]');
      if (sub.textContent !== counts) sub.textContent = counts;
    }
    Console.setText("figures-at", board.figures_at || "—");
    $("kpi-waiting").classList.toggle("alert", (board.alerts || []).some((a) => a.kind === "waiting"));
  }

  function queueCard(q) {
    const sl = q.service_level || {};
    const alerted = (q.alerts && q.alerts.length > 0) || below(sl);
    const width = has(sl.value) ? Math.round(sl.value * 100) : 0;
    const byTier = sl.by_tier || {};
    return el("div", { class: "qcard" + (alerted ? " alert" : ""), dataset: { queue: q.name } },
      el("h3", {},
        el("span", {}, q.title || q.name),
        q.alerts && q.alerts.length
          ? el("span", { class: "badge mark-red", title: q.alerts.map((k) => t("board.alert_" + k)).join(" ") }, t("board.alerts"))
          : null),
      el("div", { class: "big" },
        el("div", {}, el("b", { class: (q.alerts || []).includes("waiting") ? "bad" : "" }, Console.count(q.waiting)), el("span", {}, t("board.waiting"))),
        el("div", {}, el("b", { class: (q.alerts || []).includes("longest_wait") ? "bad" : "" }, Console.duration(q.longest_wait_s)), el("span", {}, t("board.longest"))),
        el("div", {}, el("b", { class: slClass(sl) }, Console.percent(sl.value)), el("span", {}, t("board.service_level")))),
      el("div", { class: "slbar" + (below(sl) ? " bad" : "") },
        el("i", { style: "width:" + width + "%" }),
        has(sl.goal) ? el("u", { style: "left:" + Math.round(sl.goal * 100) + "%", title: goalText(sl) }) : null),
      el("div", { class: "slgoal" }, goalText(sl)),
      el("div", { class: "counts" },
        el("span", {}, t("board.offered") + " ", el("b", { dataset: { field: "offered" } }, Console.count(q.offered))),
        el("span", {}, t("board.answered") + " ", el("b", { dataset: { field: "answered" } }, Console.count(q.answered))),
        el("span", {}, t("board.abandoned") + " ", el("b", { dataset: { field: "abandoned" } }, Console.count(q.abandoned)))),
      el("div", { class: "tiers", title: t("board.by_tier") },
        TIERS.map((tier) => {
          const ts = byTier[tier];
          return el("div", { class: below(ts) ? "bad" : "", title: goalText(ts) },
            el("span", {}, t("tier." + tier)), el("b", {}, Console.percent(ts ? ts.value : null)));
        })),
      waitingList(q));
  }

  // The callers waiting in the queue, longest first: tier, time waited, the number masked.
  function waitingList(q) {
    const calls = q.waiting_calls || [];
    if (!calls.length) return null;
    const more = q.waiting - calls.length;
    return el("ol", { class: "waiting-calls", title: t("board.waiting_calls") },
      calls.map((c) => el("li", { dataset: { call: c.call } },
        el("span", { class: "tier tier-" + c.tier }, t("tier." + c.tier)),
        el("b", { class: "num" }, Console.duration(c.waited_s)),
        el("span", { class: "num muted" }, Console.caller(c.caller)))),
      more > 0 ? el("li", { class: "muted" }, t("board.waiting_more", { n: Console.count(more) })) : null);
  }

  // 遵守率 live: who is out of adherence to the published schedule (排班), every 30 s
  let offSchedule = new Map();
  let lastAgents = null;
  async function loadAdherence() {
    const result = await Console.api("GET", "/api/wfm/adherence");
    const found = new Map();
    if (result.ok && result.data.published) {
      for (const o of result.data.out_now) found.set(o.agent, o);
    }
    offSchedule = found;
    if (lastAgents) renderAgents(lastAgents);
  }
  loadAdherence();
  setInterval(loadAdherence, 30000);

  function renderAgents(agents) {
    lastAgents = agents;
    let online = 0;
    let ready = 0;
    let busy = 0;
    const tiles = agents.map((a) => {
      if (a.state !== "logged_out") online += 1;
      if (a.state === "ready") ready += 1;
      if (a.state === "ringing" || a.state === "talking" || a.state === "hold") busy += 1;
      const label = t("state." + a.state) + (a.reason && a.state === "not_ready" ? " · " + t("reason." + a.reason) : "");
      const sv = a.supervision || null;  // a supervisor's phone on this agent's call (班长席)
      const attrs = {
        class: "agent st-" + a.state + (a.human ? " human" : "") + (sv ? " supervised" : "") + (offSchedule.has(a.id) ? " off-schedule" : ""),
        title: a.id + " " + (a.name || "") + (a.human ? " · " + t("board.human") : "") + (a.team ? " · " + a.team : ""),
        dataset: { agent: a.id, name: a.name || "", state: a.state, base: a.in_state_s ?? 0, supervision: sv ? JSON.stringify(sv) : "" },
      };
      if (commandable) Object.assign(attrs, { tabindex: "0", role: "button" });
      // a logged-out seat has no time in state to show (not the time since midnight)
      return el("div", attrs,
        el("b", {}, a.id + " " + (a.name || "")),
        el("div", {}, label),
        el("div", { class: "t" }, a.state === "logged_out" ? "" : Console.duration(a.in_state_s)),
        sv ? el("div", { class: "sv", dataset: { mode: sv.mode, svstate: sv.state } }, supervisionText(sv)) : null,
        offSchedule.has(a.id) ? el("div", { class: "off" }, t("board.off_schedule_tile", { activity: t("wfm.activity." + offSchedule.get(a.id).scheduled) })) : null);
    });
    $("agents").replaceChildren(...tiles);
    if (forcing) showSupervise(tileOf(forcing));  // the open dialog follows the live state
    Console.setText("agents-summary", t("board.agents_summary", { online, ready, busy }) +
      (offSchedule.size ? t("board.off_schedule", { n: offSchedule.size }) : ""));
  }

  function renderChart(intervals) {
    if (!chart) return;
    const signature = JSON.stringify(intervals);
    if (signature === chartSignature) return;
    chartSignature = signature;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: "Noto Sans CJK SC, sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText" }, // drawn on the canvas: no inline styles
      legend: { top: 0 },
      grid: { left: 44, right: 16, top: 32, bottom: 26 },
      xAxis: { type: "category", data: intervals.map((i) => i.start) },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: t("board.answered"), type: "bar", stack: "calls", data: intervals.map((i) => i.answered), itemStyle: { color: "#1f9d55" } },
        { name: t("board.abandoned"), type: "bar", stack: "calls", data: intervals.map((i) => i.abandoned), itemStyle: { color: "#d23b3b" } },
        { name: t("board.offered"), type: "line", data: intervals.map((i) => i.offered), itemStyle: { color: "#1677d2" }, symbolSize: 5 },
      ],
    });
  }

  function renderAlerts(alerts) {
    const list = $("alerts");
    if (!alerts.length) {
      list.replaceChildren(el("li", { class: "muted empty" }, t("board.alerts_empty")));
    } else {
      list.replaceChildren(...alerts.map((a) => {
        const text = a.message ? a.message[Console.lang] || a.message.zh : a.queue + " " + a.kind;
        return el("li", { dataset: { queue: a.queue, kind: a.kind } }, el("b", {}, t("board.alert_" + a.kind)), el("div", {}, text));
      }));
    }
    const count = $("alert-count");
    count.hidden = !alerts.length;
    count.textContent = String(alerts.length);
  }

  function renderSpeed(speed) {
    const control = $("speed");
    if (control) {
      for (const button of control.querySelectorAll("button")) {
        button.classList.toggle("pressed", Number(button.dataset.speed) === speed);
      }
    }
    Console.setText("speed-value", Console.count(speed) + "×");
  }

  function render(snapshot) {
    board = snapshot;
    receivedAt = performance.now();
    renderTotals(board.totals || {});
    $("queues").replaceChildren(...(board.queues || []).map(queueCard));
    renderAgents(board.agents || []);
    renderChart(board.intervals || []);
    renderAlerts(board.alerts || []);
    renderSpeed(board.speed);
    tick();
  }

  function tick() {
    if (!board) return;
    const extra = elapsed();
    Console.setText("engine-time", Console.clock(board.at + extra));
    for (const tile of $("agents").children) {
      if (tile.dataset.state === "logged_out") continue;
      const time = tile.querySelector(".t");
      const text = Console.duration(Number(tile.dataset.base) + extra);
      if (time.textContent !== text) time.textContent = text;
    }
  }

  // ---- forcing an agent's state from its tile (值班长 and 主管) -------------------------
  const force = $("force");
  let forcing = null;

  function showForce(tile) {
    forcing = tile.dataset.agent;
    const loggedOut = tile.dataset.state === "logged_out";
    $("force-logged-out").hidden = !loggedOut;
    const select = $("force-state");
    for (const option of select.options) option.hidden = (option.dataset.when === "logged_out") !== loggedOut;
    select.value = loggedOut ? "logged_in" : (tile.dataset.state === "ready" ? "not_ready" : "ready");
    $("force-reason-row").hidden = select.value !== "not_ready";
    $("force-error").hidden = true;
    $("force-ok").disabled = false;
    showSupervise(tile);
    force.hidden = false;
    select.focus();
  }

  function hideForce() {
    force.hidden = true;
    forcing = null;
  }

  // ---- 班长席: 监听 / 耳语 / 强插 / 强拆 / 拦截 on the agent's call (the same dialog) ----------
  function supervisionText(sv) {
    const mode = t("supervise.mode." + sv.mode);
    if (sv.state === "taken_over") return t("supervise.state.taken_over", { by: sv.by });
    if (sv.state === "ringing") return t("supervise.state.ringing", { mode });
    return t("supervise.state.on", { mode, by: sv.by });
  }

  function tileOf(agent) {
    return [...$("agents").children].find((tile) => tile.dataset.agent === agent) || null;
  }

  const RING_WAIT_MS = 40000; // the switch's ring timeout for the supervisor's phone
  let answerNextRing = 0; // until when a ring of this page's softphone is the one asked for

  function showSupervise(tile) {
    if (!tile) return;
    // the dialog's head follows the agent's live state (the call may end while it is open)
    Console.setText("force-now", tile.dataset.agent + " " + (tile.dataset.name || "") + " · " + t("state." + tile.dataset.state));
    const box = $("supervise");
    if (!box) return;
    const state = tile.dataset.state;
    const sv = tile.dataset.supervision ? JSON.parse(tile.dataset.supervision) : null;
    const talking = state === "talking" || state === "hold";
    const has = { talking, call: talking || state === "ringing", session: !!sv };
    for (const button of box.querySelectorAll("button[data-supervise]")) {
      const pressed = !!sv && sv.state !== "taken_over" && button.dataset.mode === sv.mode;
      button.disabled = !has[button.dataset.needs] || (!!sv && sv.state === "taken_over" && button.dataset.supervise !== "end");
      button.classList.toggle("pressed", pressed);
      button.setAttribute("aria-pressed", String(pressed));
    }
    $("supervise-no-call").hidden = has.call || has.session;
    $("supervise-state").hidden = !sv;
    $("supervise-state").textContent = sv ? supervisionText(sv) : "";
  }

  async function supervise(button) {
    const agent = forcing;
    if (!agent) return;
    const action = button.dataset.supervise;
    if (action === "release" && !window.confirm(t("supervise.confirm_release", { agent }))) return;
    const body = action === "monitor" ? { mode: button.dataset.mode } : {};
    button.disabled = true;  // one request per click
    // the supervisor's own click rings their phone: this page's softphone answers it at once
    const rings = action === "intercept" || (action === "monitor" && !tileOf(agent)?.dataset.supervision);
    if (rings) answerNextRing = Date.now() + RING_WAIT_MS;
    const result = await Console.api("POST", "/api/supervise/agents/" + encodeURIComponent(agent) + "/" + action, body);
    button.disabled = false;
    if (!result.ok) {
      answerNextRing = 0;
      $("force-error").textContent = Console.errorText(result);
      $("force-error").hidden = false;
      return;
    }
    $("force-error").hidden = true;
    const tile = tileOf(agent);
    if (tile) {  // show the answer at once; the next board snapshot confirms it
      tile.dataset.supervision = action === "release" || action === "end" ? "" : JSON.stringify(result.data);
      if (action === "release") tile.dataset.state = "wrap_up";
      showSupervise(tile);
      if (action === "release") Console.setText("supervise-state", t("supervise.released"));
      $("supervise-state").hidden = action !== "release" && !tile.dataset.supervision;
    }
  }

  if (commandable && force) {
    $("agents").addEventListener("click", (event) => {
      const tile = event.target.closest(".agent");
      if (tile) showForce(tile);
    });
    $("agents").addEventListener("keydown", (event) => {
      const tile = event.target.closest(".agent");
      if (tile && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        showForce(tile);
      }
    });
    $("force-state").addEventListener("change", () => {
      $("force-reason-row").hidden = $("force-state").value !== "not_ready";
    });
    $("force-cancel").addEventListener("click", hideForce);
    if ($("supervise")) {
      $("supervise").addEventListener("click", (event) => {
        const button = event.target.closest("button[data-supervise]");
        if (button) supervise(button);
      });
    }
    force.addEventListener("keydown", (event) => { if (event.key === "Escape") hideForce(); });
    $("force-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!forcing) return;
      const state = $("force-state").value;
      const body = { state };
      if (state === "not_ready") body.reason = $("force-reason").value;
      $("force-ok").disabled = true;  // one request per click
      const result = await Console.api("POST", "/api/agents/" + encodeURIComponent(forcing) + "/state", body);
      $("force-ok").disabled = false;
      if (!result.ok) {
        $("force-error").textContent = Console.errorText(result);
        $("force-error").hidden = false;
        return;
      }
      hideForce();
    });
  }

  const speed = $("speed");
  if (speed) {
    speed.addEventListener("click", async (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const result = await Console.api("POST", "/api/demo/speed", { speed: Number(button.dataset.speed) });
      if (result.ok) {
        renderSpeed(Number(button.dataset.speed));
        Console.flash($("board-message"), "error", "");
      } else {
        Console.flash($("board-message"), "error", t("common.error", { message: Console.errorText(result) }));
      }
    });
  }

  Console.api("GET", "/api/board").then((result) => {
    if (result.ok && result.data && !board) render(result.data);
  });
  Console.stream((message) => {
    if (message.kind === "board" && message.queues) render(message);
  });
  setInterval(tick, 500);

  // 班长席 softphone: 监听/耳语/强插/拦截 ring the supervisor's extension, the browser first
  // (POST /api/desk/softphone answers 409 without WebRTC: the panel stays hidden)
  if (typeof Softphone !== "undefined" && $("softphone")) {
    Softphone.mount($("softphone"), {
      t,
      credentials: async () => {
        const result = await Console.api("POST", "/api/desk/softphone");
        return result.ok ? result.data : null;
      },
      onChange: (phone) => {
        $("softphone-panel").hidden = phone.state === "off";
        if (phone.ringing && Date.now() < answerNextRing) {
          answerNextRing = 0;
          phone.answer();
        }
      },
    });
  }
})();
