// 外呼管理 (outbound campaigns): GET /api/outbound/campaigns fills one card per campaign — its
// state, the list's progress, 接通率 and 放弃率 against the cap — and is read again every 5 s
// without a reload (a card is updated in place: an open list stays open). 开始/暂停/停止 post
// to /api/outbound/campaigns/{id}/start|pause|stop; a button is disabled while its request is
// in flight and when the campaign's state does not allow it. 导入名单 takes its choices from
// GET /api/outbound/options and sends the file as multipart to POST /api/outbound/campaigns,
// then shows how many customers were accepted and each refused row.
"use strict";

(() => {
  const { t, el, percent, stamp, clock, flash, errorText } = Console;
  const list = document.getElementById("outbound-campaigns");
  const message = document.getElementById("outbound-message");
  const cards = new Map(); // campaign id → its card's parts and the campaign as last read
  const busy = new Set(); // campaigns with a start/pause/stop in flight
  const ACTIONS = ["start", "pause", "stop"];
  const ALLOWED = { start: ["new", "paused"], pause: ["running"], stop: ["new", "running", "paused"] };
  const LIST_LIMIT = 100;

  function word(prefix, code) {
    const key = prefix + code;
    return t(key) !== key ? t(key) : code || t("common.none");
  }

  function allowed(action, c) {
    if (action === "stop" && c.standing) return false; // fed by the hotline: pause it instead
    return ALLOWED[action].includes(c.state);
  }

  function figure(name, label) {
    const value = el("dd", { class: "num" }, t("common.none"));
    return { node: el("div", { dataset: { figure: name } }, el("dt", {}, label), value), value };
  }

  /** A figure's value, with small lines under it (a string or a list of them). */
  function setFigure(f, text, sub, bad) {
    const lines = (Array.isArray(sub) ? sub : [sub]).filter(Boolean);
    f.value.replaceChildren(text, ...lines.map((line) => el("small", {}, line)));
    f.value.classList.toggle("bad", Boolean(bad));
  }

  /** A cap as a whole percentage when it is one (3 %, not 3.0 %). */
  function share(value) {
    const pct = Math.round(value * 1000) / 10;
    return (Number.isInteger(pct) ? String(pct) : pct.toFixed(1)) + "%";
  }

  function entryRow(e) {
    const due = e.next_due ? stamp(e.next_due) : t("common.none");
    return el("tr", { dataset: { entry: e.id, state: e.state } },
      el("td", { class: "mono" }, e.number),
      el("td", {}, e.name || t("common.none")),
      el("td", {}, word("outbound.class.", e.customer_class),
        e.important ? [" ", el("span", { class: "badge tier-high" }, t("outbound.important"))] : null),
      el("td", { class: "num" }, String(e.tries)),
      el("td", {}, word("outbound.entry.", e.state)),
      el("td", {}, e.result ? word("outbound.result.", e.result) : t("common.none")),
      el("td", { class: "num" }, due));
  }

  // ---- 名单: one campaign's list, in the panel under the cards -----------------------------

  const listPanel = document.getElementById("outbound-list");
  const listState = document.getElementById("outbound-list-state");
  let listed = null; // the campaign whose list is open

  async function loadEntries() {
    if (!listed) return;
    const id = listed.id;
    const state = listState.value ? "&state=" + encodeURIComponent(listState.value) : "";
    const result = await Console.api("GET", "/api/outbound/campaigns/" + encodeURIComponent(id) + "/entries?limit=" + LIST_LIMIT + state);
    if (!listed || listed.id !== id) return; // another list was opened meanwhile
    if (!result.ok) {
      Console.setText("outbound-list-note", t("common.error", { message: errorText(result) }));
      return;
    }
    const data = result.data;
    Console.setText("outbound-list-note", data.total
      ? t("outbound.entries_shown", { total: data.total, shown: data.entries.length })
      : t("outbound.entries_empty"));
    document.getElementById("outbound-entries").replaceChildren(...data.entries.map(entryRow));
  }

  function openList(c) {
    listed = c;
    Console.setText("outbound-list-title", t("outbound.entries_of", { name: c.name }));
    document.getElementById("outbound-entries").replaceChildren();
    Console.setText("outbound-list-note", t("common.loading"));
    listPanel.hidden = false;
    for (const part of cards.values()) part.list.classList.toggle("pressed", part.campaign.id === c.id);
    loadEntries();
    listPanel.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }

  document.getElementById("outbound-list-close").addEventListener("click", () => {
    listed = null;
    listPanel.hidden = true;
    for (const part of cards.values()) part.list.classList.remove("pressed");
  });
  listState.addEventListener("change", loadEntries);

  function build(c) {
    const part = { campaign: c, buttons: {} };
    part.title = el("h3", {});
    part.kind = el("span", { class: "badge ob-kind" });
    part.standing = el("span", { class: "badge ob-standing", title: t("outbound.standing_hint") }, t("outbound.standing"));
    part.state = el("span", { class: "badge ob-state" });
    part.target = el("div", { class: "ob-target" });
    part.fill = el("i");
    part.done = el("span");
    part.figures = {
      reached: figure("reached", t("outbound.reached")),
      calls: figure("calls", t("outbound.calls")),
      answer_rate: figure("answer_rate", t("outbound.answer_rate")),
      drop_rate: figure("drop_rate", t("outbound.drop_rate")),
      pending: figure("pending", t("outbound.pending")),
      dialing: figure("dialing", t("outbound.dialing")),
    };
    for (const action of ACTIONS) {
      const button = el("button", { type: "button", class: action === "start" ? "primary" : action === "stop" ? "danger" : "", dataset: { action } }, t("outbound." + action));
      button.addEventListener("click", () => act(part, action));
      part.buttons[action] = button;
    }
    part.list = el("button", { type: "button", class: "ob-list" }, t("outbound.entries"));
    part.list.addEventListener("click", () => openList(part.campaign));
    part.root = el("article", { class: "ob-card", dataset: { campaign: c.id } },
      el("header", {}, part.title, part.kind, part.standing, part.state),
      part.target,
      el("div", { class: "ob-progress" }, el("div", { class: "ob-bar" }, part.fill), part.done),
      el("dl", { class: "ob-figures" }, Object.values(part.figures).map((f) => f.node)),
      el("div", { class: "ob-buttons" }, Object.values(part.buttons), part.list));
    return part;
  }

  function targetText(c) {
    const to = c.queue
      ? t("outbound.to_queue", { queue: c.queue_title || c.queue })
      : t("outbound.to_prompt", { text: c.prompt_text || c.prompt });
    return to + " · " + t("outbound.pacing_of", { pacing: word("outbound.pacing.", c.pacing) });
  }

  function buttons(part) {
    const c = part.campaign;
    for (const action of ACTIONS) part.buttons[action].disabled = busy.has(c.id) || !allowed(action, c);
    part.buttons.stop.title = c.standing ? t("outbound.standing_hint") : "";
  }

  function update(part, c) {
    part.campaign = c;
    const p = c.progress;
    part.root.dataset.state = c.state;
    part.title.textContent = c.name;
    part.title.title = c.name;
    part.kind.textContent = word("outbound.kind.", c.kind);
    part.standing.hidden = !c.standing;
    part.state.textContent = word("outbound.state.", c.state);
    part.state.className = "badge ob-state ob-state-" + c.state;
    part.target.textContent = targetText(c);
    part.target.title = part.target.textContent;
    part.fill.style.width = (p.entries ? Math.min(100, (100 * p.closed) / p.entries) : 0).toFixed(1) + "%";
    part.done.textContent = t("outbound.progress", { closed: p.closed, entries: p.entries });
    const f = part.figures;
    setFigure(f.reached, String(p.reached));
    setFigure(f.calls, String(p.calls));
    setFigure(f.answer_rate, percent(p.answer_rate));
    const over = (r) => r !== null && r > c.drop_cap;
    setFigure(f.drop_rate, percent(p.drop_rate), [
      t("outbound.drop_cap", { cap: share(c.drop_cap) }),
      t("outbound.window_rate", { rate: percent(p.window_drop_rate) }),
    ], over(p.drop_rate) || over(p.window_drop_rate));
    setFigure(f.pending, String(p.pending), [
      p.exhausted ? t("outbound.exhausted") + " " + p.exhausted : "",
      p.skipped ? t("outbound.skipped") + " " + p.skipped : "",
    ]);
    setFigure(f.dialing, String(p.dialing));
    buttons(part);
  }

  async function act(part, action) {
    const c = part.campaign;
    if (action === "stop" && !window.confirm(t("outbound.confirm_stop", { name: c.name }))) return;
    busy.add(c.id);
    buttons(part);
    const result = await Console.api("POST", "/api/outbound/campaigns/" + encodeURIComponent(c.id) + "/" + action);
    busy.delete(c.id);
    if (result.ok) {
      update(part, result.data);
      flash(message, "ok", t("outbound.changed", { name: c.name, state: word("outbound.state.", result.data.state) }));
    } else {
      buttons(part);
      flash(message, "error", t("common.error", { message: errorText(result) }));
    }
  }

  let loading = false;
  async function load() {
    if (loading) return;
    loading = true;
    try {
      const result = await Console.api("GET", "/api/outbound/campaigns");
      if (!result.ok) {
        list.replaceChildren(el("p", { class: "muted" }, t("common.error", { message: errorText(result) })));
        cards.clear();
        return;
      }
      const data = result.data;
      Console.setText("outbound-updated", t("outbound.updated", { time: clock(data.now) }));
      if (!data.campaigns.length) {
        list.replaceChildren(el("p", { class: "muted" }, t("outbound.empty")));
        cards.clear();
        return;
      }
      const shown = [];
      for (const c of data.campaigns) {
        let part = cards.get(c.id);
        if (!part) {
          part = build(c);
          cards.set(c.id, part);
        }
        update(part, c);
        shown.push(part.root);
      }
      const same = shown.length === list.children.length && shown.every((node, i) => list.children[i] === node);
      if (!same) list.replaceChildren(...shown); // unchanged order: the DOM (and focus) stays
    } finally {
      loading = false;
    }
  }

  // ---- 导入名单 ---------------------------------------------------------------------------

  const form = document.getElementById("outbound-import");
  const formMessage = document.getElementById("outbound-import-message");
  const submit = document.getElementById("outbound-import-submit");
  const queue = document.getElementById("outbound-queue");
  const prompt = document.getElementById("outbound-prompt");
  const pacing = document.getElementById("outbound-pacing");
  const toPrompt = document.getElementById("outbound-to-prompt");
  const maxBytes = Number(form.dataset.maxBytes);

  function short(text, n) {
    return text.length > n ? text.slice(0, n) + "…" : text;
  }

  const promptText = document.getElementById("outbound-prompt-text");

  function target() {
    const notice = toPrompt.checked;
    document.getElementById("outbound-queue-field").hidden = notice;
    document.getElementById("outbound-prompt-field").hidden = !notice;
    // what the customers will hear, whole: the choices show only its start
    const chosen = prompt.selectedOptions[0];
    promptText.textContent = chosen ? t("outbound.prompt_heard", { text: chosen.title }) : "";
    promptText.hidden = !notice || !chosen;
  }

  async function options() {
    const result = await Console.api("GET", "/api/outbound/options");
    if (!result.ok) {
      flash(formMessage, "error", t("common.error", { message: errorText(result) }));
      submit.disabled = true;
      return;
    }
    const data = result.data;
    queue.replaceChildren(...data.queues.map((q) => el("option", { value: q.name }, q.title)));
    const preferred = data.queues.find((q) => q.outbound);
    if (preferred) queue.value = preferred.name;
    const notices = data.prompts.filter((p) => p.notice);
    prompt.replaceChildren(...(notices.length ? notices : data.prompts).map((p) =>
      el("option", { value: p.name, title: p.text }, short(p.text, 28))));
    pacing.replaceChildren(...data.pacings.map((p) =>
      el("option", { value: p.name }, Console.lang === "en" ? p.en : p.zh)));
    pacing.value = data.pacing;
    target();
  }

  async function upload(body) {
    let response;
    try {
      response = await fetch("/api/outbound/campaigns", {
        method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body,
      });
    } catch (err) {
      return { ok: false, status: 0, data: { message: String(err) } };
    }
    if (response.status === 401) window.location.assign("/login");
    const data = await response.json().catch(() => ({ message: "HTTP " + response.status }));
    return { ok: response.ok, status: response.status, data };
  }

  function report(r) {
    const rows = document.getElementById("outbound-problems");
    rows.replaceChildren(...r.problems.map((p) => el("tr", { dataset: { row: String(p.row) } },
      el("td", {}, p.file),
      el("td", { class: "num" }, String(p.row)),
      el("td", {}, p.column),
      el("td", { class: "wrap" }, p.reason))));
    document.getElementById("outbound-report").hidden = !r.problems.length;
  }

  for (const radio of form.querySelectorAll("input[name=target]")) radio.addEventListener("change", target);
  prompt.addEventListener("change", target);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = document.getElementById("outbound-name").value.trim();
    const file = document.getElementById("outbound-file").files[0];
    if (!name) { flash(formMessage, "error", t("outbound.pick_name")); return; }
    if (!file) { flash(formMessage, "error", t("outbound.pick_file")); return; }
    if (file.size > maxBytes) {
      flash(formMessage, "error", t("outbound.too_big", { mib: Math.round(maxBytes / 1048576) }));
      return;
    }
    const body = new FormData();
    body.append("name", name);
    if (toPrompt.checked) body.append("prompt", prompt.value);
    else body.append("queue", queue.value);
    body.append("pacing", pacing.value);
    body.append("file", file, file.name);
    submit.disabled = true;
    flash(formMessage, "", t("outbound.importing"));
    try {
      const result = await upload(body);
      if (!result.ok) {
        document.getElementById("outbound-report").hidden = true;
        flash(formMessage, "error", t("common.error", { message: errorText(result) }));
        return;
      }
      const r = result.data;
      flash(formMessage, "ok", [
        t("outbound.imported", { name: r.campaign.name, accepted: r.accepted }),
        r.skipped_rows ? t("outbound.imported_skipped", { skipped: r.skipped_rows }) : "",
        r.duplicates ? t("outbound.imported_duplicates", { duplicates: r.duplicates }) : "",
        t("outbound.imported_start"),
      ].join(Console.lang === "en" ? " " : ""));
      report(r);
      document.getElementById("outbound-name").value = "";
      document.getElementById("outbound-file").value = "";
      await load();
    } finally {
      submit.disabled = false;
    }
  });

  target();
  options();
  load();
  setInterval(load, 5000);
})();
