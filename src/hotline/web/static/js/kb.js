// The knowledge base page (/kb): search, read, and for admin/supervisor create, edit, delete.
// Hits come from GET /api/kb/search; their `title_html` and `snippet_html` are the article's
// own text already HTML-escaped by the server with <mark> around the words found, so they are
// the only strings inserted as HTML. Everything else (the full article included) is text.
"use strict";

(() => {
  const { t, api, el, errorText, flash } = Console;
  const form = document.getElementById("kb-search");
  const q = document.getElementById("kb-q");
  const kind = document.getElementById("kb-kind");
  const category = document.getElementById("kb-category");
  const hits = document.getElementById("kb-hits");
  const count = document.getElementById("kb-count");
  const resultsTitle = document.getElementById("kb-results-title");
  const message = document.getElementById("kb-message");
  const articlePanel = document.getElementById("kb-article");
  const emptyPanel = document.getElementById("kb-empty");
  const editor = document.getElementById("kb-editor");
  const canEdit = form.dataset.canEdit === "true";
  const SEARCH_LIMIT = 20;
  const BROWSE_LIMIT = 200;

  let current = null; // the article shown in full
  let lastQuery = null; // the query of the results shown (null: browsing by category)

  function kindName(value) {
    return t("kb.kind_" + value);
  }

  function day(epoch) {
    return new Date(epoch * 1000).toLocaleDateString("zh-CN", { timeZone: document.body.dataset.tz || "Asia/Shanghai" });
  }

  /** Keeps the address in step with the page, so a reload or a shared link shows the same. */
  function remember() {
    const params = new URLSearchParams();
    if (lastQuery) params.set("q", lastQuery);
    if (kind.value) params.set("kind", kind.value);
    if (category.value) params.set("category", category.value);
    if (current) params.set("article", String(current.id));
    const search = params.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function filters() {
    const params = new URLSearchParams();
    if (kind.value) params.set("kind", kind.value);
    if (category.value) params.set("category", category.value);
    return params;
  }

  function markOpen() {
    for (const li of hits.children) {
      li.classList.toggle("open", current !== null && li.dataset.id === String(current.id));
    }
  }

  function hitItem(id, titleHtml, snippetHtml, article) {
    const title = el("div", { class: "hit-title" });
    title.innerHTML = titleHtml; // server-escaped, <mark> only
    const button = el("button", { type: "button", onclick: () => open(id) }, title);
    if (snippetHtml !== null) {
      const snippet = el("div", { class: "hit-snippet" });
      snippet.innerHTML = snippetHtml; // server-escaped, <mark> only
      button.append(snippet);
    }
    button.append(el("div", { class: "kb-meta" },
      el("span", {}, kindName(article.kind)), el("span", {}, article.category),
      article.due_for_review ? el("span", { class: "bad" }, t("kb.due")) : null));
    return el("li", { dataset: { id: String(id) } }, button);
  }

  function showList(items, emptyText) {
    hits.replaceChildren(...(items.length ? items : [el("li", { class: "muted" }, emptyText)]));
    markOpen();
  }

  /** Runs the search in the box, or lists the articles by category when the box is empty. */
  let asked = 0; // the latest refresh; an earlier one answered after it is dropped

  async function refresh() {
    const mine = ++asked;
    flash(message, "error", "");
    const text = q.value.trim();
    if (!text) {
      lastQuery = null;
      resultsTitle.textContent = t("kb.browse");
      const params = filters();
      params.set("limit", String(BROWSE_LIMIT));
      const result = await api("GET", "/api/kb/articles?" + params);
      if (mine !== asked) return;
      if (!result.ok) { flash(message, "error", errorText(result)); return; }
      count.textContent = t("kb.count", { n: result.data.length });
      showList(result.data.map((a) => hitItem(a.id, escapeHtml(a.title), null, a)), t("kb.none"));
      remember();
      return;
    }
    const params = filters();
    params.set("q", text);
    params.set("limit", String(SEARCH_LIMIT));
    const result = await api("GET", "/api/kb/search?" + params);
    if (mine !== asked) return;
    if (!result.ok) {
      // e.g. only punctuation: the API says there is nothing to look for (422, field query.q)
      flash(message, "error", errorText(result));
      return;
    }
    lastQuery = text;
    resultsTitle.textContent = t("kb.results");
    count.textContent = t("kb.count", { n: result.data.length });
    showList(result.data.map((h) => hitItem(h.article.id, h.title_html, h.snippet_html, h.article)),
      t("kb.no_hits"));
    remember();
  }

  function escapeHtml(text) {
    const node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function showArticle(article) {
    current = article;
    document.getElementById("kb-article-title").textContent = article.title;
    const meta = [
      el("span", { class: "badge" }, kindName(article.kind)),
      el("span", {}, t("kb.category") + ": " + article.category),
    ];
    if (article.tags.length) meta.push(el("span", {}, t("kb.field_tags") + ": " + article.tags.join("、")));
    if (article.owner) meta.push(el("span", {}, t("kb.field_owner") + ": " + article.owner));
    if (article.review_due) {
      meta.push(el("span", { class: article.due_for_review ? "bad" : "" },
        t("kb.field_review_due") + ": " + article.review_due + (article.due_for_review ? " · " + t("kb.due") : "")));
    }
    meta.push(el("span", {}, t("kb.updated", { date: day(article.updated_at) })));
    document.getElementById("kb-article-meta").replaceChildren(...meta);
    document.getElementById("kb-article-body").textContent = article.body;
    showCases(article.id);
    articlePanel.hidden = false;
    emptyPanel.hidden = true;
    if (editor) editor.hidden = true;
    markOpen();
    remember();
  }

  /** The case library's calls on this article's topic (录音质检: an inspector links a good
   * or bad call to it), each playable; nothing for roles the case library is not for. */
  async function showCases(id) {
    const host = document.getElementById("kb-article-cases");
    host.hidden = true;
    const result = await api("GET", "/api/qa/cases?topic=" + encodeURIComponent(id));
    if (!result.ok || !result.data.cases.length || !current || String(current.id) !== String(id)) return;
    host.replaceChildren(el("h3", {}, t("kb.cases")), ...result.data.cases.map((c) => el("div", { class: "kb-case" },
      el("span", { class: "badge" }, t(c.verdict === "good" ? "kb.case_good" : "kb.case_bad")), " ", c.title,
      c.comment ? el("div", { class: "muted" }, c.comment) : null,
      el("audio", { controls: true, preload: "none", src: "/api/qa/cases/" + c.id + "/recording" }))));
    host.hidden = false;
  }

  function closeArticle() {
    current = null;
    articlePanel.hidden = true;
    emptyPanel.hidden = false;
    markOpen();
    remember();
  }

  async function open(id) {
    const result = await api("GET", "/api/kb/articles/" + encodeURIComponent(id));
    if (!result.ok) { flash(message, "error", errorText(result)); closeArticle(); return; }
    flash(message, "error", "");
    showArticle(result.data);
  }

  form.addEventListener("submit", (ev) => { ev.preventDefault(); refresh(); });
  kind.addEventListener("change", refresh);
  category.addEventListener("change", refresh);

  // ---- the editor (admin and supervisor; the API refuses the others anyway) ----
  if (canEdit && editor) {
    const kbForm = document.getElementById("kb-form");
    const formMessage = document.getElementById("kb-form-message");
    const fields = ["title", "kind", "category", "tags", "owner", "review_due", "body"];
    const input = (name) => document.getElementById("kb-f-" + name);
    let editing = null; // the id being edited, null for a new article

    function clearErrors() {
      for (const node of kbForm.querySelectorAll("[data-error-for]")) { node.hidden = true; node.textContent = ""; }
      for (const name of fields) input(name).classList.remove("invalid");
      flash(formMessage, "error", "");
    }

    /**
     * Puts the API's 422 under the field it names. The answer names the first bad field
     * (`body.title`, `body.tags.3`) and its message lists up to five as "body.x: text; ...".
     */
    function showErrors(result) {
      const data = result.data || {};
      const found = new Map();
      for (const part of String(data.message || "").split("; ")) {
        const m = /^body\.([a-z_]+)(?:\.\d+)?: (.*)$/s.exec(part);
        if (m && fields.includes(m[1])) found.set(m[1], (found.get(m[1]) ? found.get(m[1]) + "; " : "") + m[2]);
      }
      const named = /^body\.([a-z_]+)/.exec(data.field || "");
      if (named && fields.includes(named[1]) && !found.has(named[1])) found.set(named[1], errorText(result));
      if (!found.size) { flash(formMessage, "error", t("kb.save_failed", { message: errorText(result) })); return; }
      let first = null;
      for (const [name, text] of found) {
        const node = kbForm.querySelector('[data-error-for="' + name + '"]');
        node.textContent = text;
        node.hidden = false;
        input(name).classList.add("invalid");
        first = first || input(name);
      }
      flash(formMessage, "error", t("kb.fix_fields"));
      if (first) first.focus();
    }

    function startEditing(article) {
      editing = article ? article.id : null;
      clearErrors();
      document.getElementById("kb-editor-title").textContent = article ? t("kb.edit_title", { title: article.title }) : t("kb.new");
      input("title").value = article ? article.title : "";
      input("kind").value = article ? article.kind : "faq";
      input("category").value = article ? article.category : (category.value || "");
      input("tags").value = article ? article.tags.join(", ") : "";
      input("owner").value = article ? article.owner : "";
      input("review_due").value = article && article.review_due ? article.review_due : "";
      input("body").value = article ? article.body : "";
      articlePanel.hidden = true;
      emptyPanel.hidden = true;
      editor.hidden = false;
      input("title").focus();
    }

    function stopEditing() {
      editor.hidden = true;
      if (current) { articlePanel.hidden = false; } else { emptyPanel.hidden = false; }
    }

    document.getElementById("kb-new").addEventListener("click", () => startEditing(null));
    document.getElementById("kb-edit").addEventListener("click", () => { if (current) startEditing(current); });
    document.getElementById("kb-cancel").addEventListener("click", stopEditing);
    document.getElementById("kb-delete").addEventListener("click", async () => {
      if (!current || !window.confirm(t("kb.confirm_delete", { title: current.title }))) return;
      const result = await api("DELETE", "/api/kb/articles/" + current.id);
      if (!result.ok) { flash(message, "error", errorText(result)); return; }
      closeArticle();
      await refresh();
      flash(message, "ok", t("kb.deleted"));
    });

    kbForm.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      clearErrors();
      const body = {
        kind: input("kind").value,
        title: input("title").value,
        body: input("body").value,
        category: input("category").value,
        // tags: separated by commas (either width), 、 or spaces
        tags: input("tags").value.split(/[,，、\s]+/).filter((tag) => tag),
        owner: input("owner").value,
        review_due: input("review_due").value || null,
      };
      const save = document.getElementById("kb-save");
      save.disabled = true;
      const result = editing === null
        ? await api("POST", "/api/kb/articles", body)
        : await api("PUT", "/api/kb/articles/" + editing, body);
      save.disabled = false;
      if (!result.ok) { showErrors(result); return; }
      const article = result.data;
      if (![...category.options].some((o) => o.value === article.category)) {
        category.append(el("option", { value: article.category }, article.category));
        document.getElementById("kb-categories").append(el("option", { value: article.category }));
      }
      showArticle(article);
      await refresh();
      flash(message, "ok", t(editing === null ? "kb.created" : "kb.updated_ok"));
      editing = null;
    });
  }

  // First paint: the search or article a link asked for, else the articles by category.
  refresh().then(() => {
    if (form.dataset.article) open(form.dataset.article);
  });
})();
