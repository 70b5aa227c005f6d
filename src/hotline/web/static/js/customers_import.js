// The CRM import (/customers/import): uploads a CSV or XLSX file to POST /api/crm/import and
// shows the report: counts, and each rejected row with its row number, column and reason.
"use strict";

(() => {
  const { t, el, errorText, flash } = Console;
  const form = document.getElementById("crm-import-form");
  const file = document.getElementById("crm-file");
  const submit = document.getElementById("crm-import-submit");
  const message = document.getElementById("crm-import-message");
  const report = document.getElementById("crm-report");
  const maxBytes = Number(form.dataset.maxBytes);

  function setText(id, value) {
    document.getElementById(id).textContent = String(value);
  }

  /** Console.api sends JSON; a file goes as multipart, so this one call uses fetch itself. */
  async function upload(chosen) {
    const data = new FormData();
    data.append("file", chosen, chosen.name);
    let response;
    try {
      response = await fetch("/api/crm/import", {
        method: "POST", credentials: "same-origin", headers: { Accept: "application/json" }, body: data,
      });
    } catch (err) {
      return { ok: false, status: 0, data: { message: String(err) } };
    }
    if (response.status === 401) window.location.assign("/login");
    const body = await response.json().catch(() => ({ message: "HTTP " + response.status }));
    return { ok: response.ok, status: response.status, data: body };
  }

  function show(r) {
    setText("crm-report-file", r.file);
    setText("crm-report-rows", r.rows);
    setText("crm-report-created", r.created);
    setText("crm-report-updated", r.updated);
    setText("crm-report-rejected", r.rejected_rows);
    setText("crm-report-ignored", r.ignored_columns.length ? r.ignored_columns.join("、") : t("common.none"));
    const rows = document.getElementById("crm-rejected");
    rows.replaceChildren(...(r.rejected.length
      ? r.rejected.map((p) => el("tr", { dataset: { row: String(p.row) } },
        el("td", { class: "num" }, String(p.row)),
        el("td", {}, p.column || t("crm.report_whole_row")),
        el("td", { class: "wrap" }, p.reason)))
      : [el("tr", {}, el("td", { colspan: "3", class: "muted" }, t("crm.no_rejected")))]));
    report.hidden = false;
  }

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) { flash(message, "error", t("crm.import_pick")); return; }
    if (chosen.size > maxBytes) {
      flash(message, "error", t("crm.import_too_big", { mib: Math.round(maxBytes / 1048576) }));
      return;
    }
    submit.disabled = true;
    flash(message, "", t("crm.import_running"));
    try {
      const result = await upload(chosen);
      if (!result.ok) { report.hidden = true; flash(message, "error", errorText(result)); return; }
      const r = result.data;
      flash(message, r.rejected_rows ? "error" : "ok", t("crm.import_done",
        { created: r.created, updated: r.updated, rejected: r.rejected_rows }));
      show(r);
    } finally {
      submit.disabled = false;
    }
  });
})();
