// Administration: the YAML editor — load a configuration document, save it, and list the
// validation problems (file:line:col: path: message) when the server refuses it.
"use strict";

(() => {
  const { t, el } = Console;
  const $ = (id) => document.getElementById(id);
  const select = $("doc-name");
  const text = $("doc-text");
  const message = $("doc-message");
  const problems = $("doc-problems");

  const url = (name) => "/api/config/" + name.split("/").map(encodeURIComponent).join("/");

  function showProblems(list) {
    problems.replaceChildren(...list.map((p) => el("li", {}, typeof p === "string" ? p : JSON.stringify(p))));
    problems.hidden = !list.length;
  }

  async function load() {
    showProblems([]);
    Console.flash(message, "ok", t("common.loading"));
    const result = await Console.api("GET", url(select.value));
    if (!result.ok) {
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
      return;
    }
    const data = result.data || {};
    text.value = typeof data.text === "string" ? data.text : data.message || "";
    Console.flash(message, "ok", t("admin.loaded", { version: data.version ?? "—" }));
  }

  async function save() {
    const button = $("doc-save");
    button.disabled = true;
    const result = await Console.api("PUT", url(select.value), { text: text.value });
    button.disabled = false;
    if (result.ok) {
      showProblems([]);
      Console.flash(message, "ok", t("admin.saved", { version: (result.data || {}).version ?? "—" }));
      return;
    }
    const list = (result.data && result.data.problems) || [];
    if (list.length) {
      Console.flash(message, "error", t("admin.invalid"));
      showProblems(list);
    } else {
      showProblems([]);
      Console.flash(message, "error", t("common.error", { message: Console.errorText(result) }));
    }
  }

  // upload: a local file replaces the editor's text; 校验并保存 validates and stores it
  $("doc-file").addEventListener("change", async () => {
    const file = $("doc-file").files[0];
    if (!file) return;
    text.value = await file.text();
    $("doc-file").value = "";
    showProblems([]);
    Console.flash(message, "ok", t("admin.uploaded", { file: file.name }));
  });
  select.addEventListener("change", load);
  $("doc-load").addEventListener("click", load);
  $("doc-save").addEventListener("click", save);
  text.addEventListener("keydown", (event) => {
    // Tab indents (YAML needs spaces) instead of leaving the editor.
    if (event.key === "Tab" && !event.shiftKey) {
      event.preventDefault();
      text.setRangeText("  ", text.selectionStart, text.selectionEnd, "end");
    }
  });
  // The documents the server knows (files and versions stored only in the database).
  Console.api("GET", "/api/config").then((result) => {
    if (!result.ok || !Array.isArray(result.data)) return;
    const chosen = select.value;
    const names = result.data.map((d) => d.name);
    if (names.join("|") === [...select.options].map((o) => o.value).join("|")) return;
    select.replaceChildren(...names.map((name) => el("option", { value: name }, name)));
    if (names.includes(chosen)) select.value = chosen;
  });
  load();
})();
