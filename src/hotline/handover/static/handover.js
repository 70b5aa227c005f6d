// 交接班: the shift lead's draft (GET /api/handover/draft), 交班 (POST /api/handover),
// 接班 (POST /api/handover/{id}/acknowledge) and earlier sheets; an agent's 本班小结
// (GET/POST /api/shift-summary); one sheet's printable view (/handover/{id}). A sheet
// belongs to a shift of the roster (早班 07:00–16:00) and shows that shift's figures.
"use strict";

(() => {
  const { t, el, stamp, duration, percent } = Console;
  const root = document.getElementById("handover-root");
  const message = document.getElementById("handover-message");
  const isLead = root.dataset.lead === "yes";
  const isAgent = root.dataset.agent === "yes";
  const sheetId = root.dataset.sheet;
  const none = () => t("common.none");
  let departments = {}; // code → name (/api/orders/types), so no department code shows
  const department = (code) => (code ? departments[code] || code : none());

  function fail(result) {
    Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
  }

  function fill(id, rows, columns) {
    const body = document.getElementById(id);
    if (!body) return;
    body.replaceChildren(...(rows.length
      ? rows
      : [el("tr", {}, el("td", { colspan: columns, class: "muted" }, t("handover.empty")))]));
  }

  function shiftText(shift, start) {
    if (!shift) return t("handover.shift", { start: stamp(start) });
    return t("handover.shift_of", { label: shift.label, hours: shift.hours, day: shift.day });
  }

  function showFigures(f) {
    const box = document.getElementById("handover-figures");
    const panel = document.getElementById("handover-figures-panel");
    if (!box || !panel) return;
    panel.hidden = !f;
    if (!f) return;
    for (const key of ["offered", "answered", "service_level", "abandoned", "orders_taken", "orders_overdue"]) {
      const cell = box.querySelector('[data-figure="' + key + '"]');
      const value = f[key];
      cell.textContent = value === null || value === undefined ? "–"
        : key === "service_level" ? percent(value) : String(value);
    }
    Console.setText("handover-figures-until", t("handover.figures_until", { end: stamp(f.end) }));
  }

  function chaseReason(c) {
    if (c.kind === "expedited") return t("handover.chase.expedited", { by: c.by, at: stamp(c.at) });
    return c.reason;
  }

  function chaseRows(list) {
    return list.map((c) => el("tr", { dataset: { order: c.order, kind: c.kind || "" } },
      el("td", { class: "num" }, orderLink(c.order)),
      el("td", {}, c.label),
      el("td", {}, chaseReason(c)),
      el("td", {}, department(c.department)),
      el("td", { class: "num" }, c.due ? stamp(c.due) : none())));
  }

  function orderLink(id) {
    return id ? el("a", { href: "/orders/" + id }, String(id)) : el("span", { class: "muted" }, t("handover.no_outage_notice"));
  }

  function counts(c) {
    const parts = [];
    for (const key of ["calls_answered", "talk_seconds", "orders_created", "notice_calls", "visits_made"]) {
      if (c[key] === undefined) continue;
      const value = key === "talk_seconds" ? duration(c[key]) : String(c[key]);
      parts.push(t("handover.count." + key) + " " + value);
    }
    return parts.join(" · ");
  }

  function showSnapshot(snap) {
    const count = document.getElementById("handover-unfinished-count");
    if (count) count.textContent = "(" + snap.unfinished.length + ")";
    fill("handover-unfinished", snap.unfinished.map((o) => el("tr", { dataset: { order: o.order } },
      el("td", { class: "num" }, orderLink(o.order)),
      el("td", {}, o.label),
      el("td", {}, OrdersUI.stateLabel(o.state)),
      el("td", {}, department(o.department)),
      el("td", { class: "num" }, stamp(o.created_at)),
      el("td", {}, o.deadline ? [o.deadline, " ", OrdersUI.deadlineBadge(o.status)] : none()),
      el("td", { class: "num" }, o.due ? stamp(o.due) : none()))), 7);
    fill("handover-chase", chaseRows(snap.to_chase), 5);
    fill("handover-outages", snap.outages.map((o) => el("tr", {},
      el("td", { class: "num" }, orderLink(o.order)),
      el("td", {}, o.area || none()),
      el("td", {}, o.cause || none()),
      el("td", {}, o.restore_at || none()),
      el("td", { class: "num" }, String(o.faults)))), 5);
  }

  function summaryRows(list, withAgent) {
    return list.map((s) => el("tr", {},
      ...(withAgent ? [el("td", { class: "mono" }, s.agent && s.agent !== s.username ? s.username + " (" + s.agent + ")" : s.username)] : []),
      el("td", { class: "num" }, stamp(s.created_at)),
      el("td", {}, counts(s.counts)),
      el("td", { class: "pre" }, s.note || none())));
  }

  function showWaiting(sheet) {
    const panel = document.getElementById("handover-waiting-panel");
    if (!panel) return;
    panel.hidden = !sheet;
    if (!sheet) return;
    document.getElementById("handover-waiting-text").textContent =
      (sheet.shift ? shiftText(sheet.shift) + " · " : "") +
      t("handover.waiting", { id: sheet.id, outgoing: sheet.outgoing, at: stamp(sheet.created_at) });
    fill("handover-waiting-chase", chaseRows(sheet.snapshot.to_chase), 5);
    const button = document.getElementById("handover-acknowledge");
    if (button) {
      button.hidden = sheet.outgoing === root.dataset.user;
      button.onclick = async () => {
        button.disabled = true;
        const remark = document.getElementById("handover-remark").value.trim();
        const result = await Console.api("POST", "/api/handover/" + sheet.id + "/acknowledge", { remark });
        button.disabled = false;
        if (!result.ok) return fail(result);
        Console.flash(message, "ok", t("handover.acknowledged", { id: sheet.id }));
        await load();
      };
    }
  }

  async function history() {
    const body = document.getElementById("handover-history");
    if (!body) return;
    const result = await Console.api("GET", "/api/handover");
    if (!result.ok) return fail(result);
    fill("handover-history", result.data.map((s) => el("tr", { dataset: { sheet: s.id, status: s.status } },
      el("td", { class: "num" }, el("a", { href: "/handover/" + s.id }, String(s.id))),
      el("td", {}, s.shift ? shiftText(s.shift) : none()),
      el("td", { class: "num" }, stamp(s.created_at)),
      el("td", { class: "mono" }, s.outgoing),
      el("td", {}, t("handover.status." + s.status)),
      el("td", { class: "mono" }, s.incoming || none()),
      el("td", { class: "num" }, String(s.snapshot.unfinished.length)),
      el("td", { class: "num" }, String(s.snapshot.to_chase.length)))), 8);
  }

  async function loadSheet() {
    const result = await Console.api("GET", "/api/handover/" + sheetId);
    if (!result.ok) return fail(result);
    const s = result.data;
    document.getElementById("handover-heading").textContent = t("handover.sheet_title", { id: s.id });
    document.getElementById("handover-shift").textContent = shiftText(s.shift, s.shift_start);
    document.getElementById("handover-sheet-meta").hidden = false;
    document.getElementById("sheet-no-exceptions").hidden = !s.no_exceptions;
    showFigures(s.figures);
    Console.setText("sheet-outgoing", s.outgoing);
    Console.setText("sheet-created", stamp(s.created_at));
    Console.setText("sheet-incoming", s.incoming || none());
    Console.setText("sheet-acknowledged", s.acknowledged_at ? stamp(s.acknowledged_at) : none());
    Console.setText("sheet-status", t("handover.status." + s.status));
    Console.setText("sheet-incidents", s.incidents || none());
    Console.setText("sheet-system", s.system_status || none());
    Console.setText("sheet-notes", s.notes || none());
    Console.setText("sheet-remark", s.remark || none());
    showSnapshot(s.snapshot);
    showWaiting(s.status === "handed_over" && isLead ? s : null);
  }

  async function loadDraft() {
    const result = await Console.api("GET", "/api/handover/draft");
    if (!result.ok) return fail(result);
    const d = result.data;
    document.getElementById("handover-shift").textContent = shiftText(d.shift, d.shift_start);
    showFigures(d.figures);
    showSnapshot(d.snapshot);
    fill("handover-summaries", summaryRows(d.summaries, true), 4);
    showWaiting(d.waiting);
  }

  async function loadMine() {
    const result = await Console.api("GET", "/api/shift-summary");
    if (!result.ok) return fail(result);
    const d = result.data;
    document.getElementById("handover-shift").textContent = shiftText(d.shift, d.shift_start);
    const facts = document.getElementById("handover-my-counts");
    facts.replaceChildren(...Object.entries(d.counts).flatMap(([key, value]) => [
      el("dt", {}, t("handover.count." + key)),
      el("dd", { dataset: { count: key } }, key === "talk_seconds" ? duration(value) : String(value)),
    ]));
    fill("handover-my-summaries", summaryRows(d.summaries, false), 3);
  }

  async function load() {
    if (!isAgent && !Object.keys(departments).length) {
      const types = await Console.api("GET", "/api/orders/types");
      if (types.ok) departments = types.data.departments || {};
    }
    if (sheetId) return loadSheet();
    if (isAgent) return loadMine();
    if (isLead) await loadDraft();
    await history();
  }

  const submit = document.getElementById("handover-submit");
  if (submit) {
    submit.addEventListener("click", async () => {
      submit.disabled = true;
      const tick = document.getElementById("handover-no-exceptions");
      const row = document.getElementById("handover-no-exceptions-row");
      row.classList.remove("attention");
      const result = await Console.api("POST", "/api/handover", {
        incidents: document.getElementById("handover-incidents").value.trim(),
        system_status: document.getElementById("handover-system").value.trim(),
        notes: document.getElementById("handover-notes").value.trim(),
        no_exceptions: tick.checked,
      });
      submit.disabled = false;
      if (!result.ok && result.data && result.data.field === "body.no_exceptions" && !tick.checked) {
        row.classList.add("attention");
        tick.focus();
        return Console.flash(message, "error", t("handover.need_no_exceptions"));
      }
      if (!result.ok) return fail(result);
      for (const id of ["handover-incidents", "handover-system", "handover-notes"]) document.getElementById(id).value = "";
      tick.checked = false;
      Console.flash(message, "ok", t("handover.submitted", { id: result.data.id }));
      await load();
    });
  }

  const give = document.getElementById("handover-give");
  if (give) {
    give.addEventListener("click", async () => {
      give.disabled = true;
      const note = document.getElementById("handover-my-note");
      const result = await Console.api("POST", "/api/shift-summary", { note: note.value.trim() });
      give.disabled = false;
      if (!result.ok) return fail(result);
      note.value = "";
      Console.flash(message, "ok", t("handover.summary_given"));
      await load();
    });
  }

  load();
})();
