// The knowledge base panel beside a call (templates/kb_panel.html): search, the hits with the
// words found marked, and an article opened in place so the agent keeps the call in view.
// `title_html`/`snippet_html` come escaped from the API (<mark> only); all else is text.
"use strict";

(() => {
  const root = document.getElementById("kb-panel");
  if (!root) return;
  const { t, api, el, errorText, flash } = Console;
  const q = document.getElementById("kbp-q");
  const hits = document.getElementById("kbp-hits");
  const message = document.getElementById("kbp-message");
  const article = document.getElementById("kbp-article");
  const LIMIT = 8;

  function html(tag, cls, markup) {
    const node = el(tag, { class: cls });
    node.innerHTML = markup; // server-escaped, <mark> only
    return node;
  }

  async function open(id) {
    const result = await api("GET", "/api/kb/articles/" + encodeURIComponent(id));
    if (!result.ok) { flash(message, "error", errorText(result)); return; }
    const a = result.data;
    document.getElementById("kbp-title").textContent = a.title;
    document.getElementById("kbp-meta").textContent =
      t("kb.kind_" + a.kind) + " · " + a.category + (a.due_for_review ? " · " + t("kb.due") : "");
    document.getElementById("kbp-body").textContent = a.body;
    hits.hidden = true;
    article.hidden = false;
  }

  async function search() {
    flash(message, "error", "");
    const text = q.value.trim();
    if (!text) return;
    const params = new URLSearchParams({ q: text, limit: String(LIMIT) });
    const result = await api("GET", "/api/kb/search?" + params);
    if (!result.ok) { flash(message, "error", errorText(result)); return; }
    const items = result.data.map((h) => el("li", { dataset: { id: String(h.article.id) } },
      el("button", { type: "button", onclick: () => open(h.article.id) },
        html("div", "hit-title", h.title_html), html("div", "hit-snippet", h.snippet_html))));
    hits.replaceChildren(...(items.length ? items : [el("li", { class: "muted" }, t("kb.no_hits"))]));
    article.hidden = true;
    hits.hidden = false;
  }

  document.getElementById("kbp-form").addEventListener("submit", (ev) => { ev.preventDefault(); search(); });
  document.getElementById("kbp-back").addEventListener("click", () => { article.hidden = true; hits.hidden = false; });
})();
