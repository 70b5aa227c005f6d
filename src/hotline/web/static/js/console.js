// Shared by every console page: messages, REST calls, the live stream, DOM and number helpers.
// No framework: the pages are server-rendered and these helpers fill in the live parts.
"use strict";

const Console = (() => {
  const dataEl = document.getElementById("i18n");
  const messages = dataEl ? JSON.parse(dataEl.textContent) : {};
  const lang = document.documentElement.dataset.lang || "zh";

  /** The message `key` with `{name}` placeholders filled; the key itself when unknown. */
  function t(key, params) {
    let text = messages[key] ?? key;
    if (params) {
      for (const [name, value] of Object.entries(params)) {
        text = text.split("{" + name + "}").join(String(value));
      }
    }
    return text;
  }

  /**
   * A code's name in the page's language: `term("outcome", "answered")` → 已接通, a queue's
   * title from hotline.yaml (`queue.fault` → 故障报修); the code itself when no word names
   * it, an em dash for none.
   */
  function term(kind, code) {
    if (code === null || code === undefined || code === "") return messages["common.none"] ?? "—";
    return messages[kind + "." + code] ?? String(code);
  }

  /**
   * Calls the REST API; resolves to {ok, status, data, retryAfter}. A lost session goes back
   * to /login, a password to change first to /password.
   */
  async function api(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (err) {
      return { ok: false, status: 0, data: { message: String(err) } };
    }
    let data = null;
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      data = await response.json().catch(() => null);
    } else {
      data = { message: await response.text().catch(() => "") };
    }
    if (response.status === 401 && !path.startsWith("/api/auth/")) {
      window.location.assign("/login");
    }
    if (response.status === 403 && data && data.error === "password-change-required") {
      window.location.assign("/password");
    }
    const retryAfter = Number(response.headers.get("Retry-After")) || null;
    return { ok: response.ok, status: response.status, data, retryAfter };
  }

  /** The human-readable text of an API error body ({error, message} or FastAPI's {detail}). */
  function errorText(result) {
    const data = result.data || {};
    if (typeof data.message === "string" && data.message) return data.message;
    if (typeof data.detail === "string") return data.detail;
    if (Array.isArray(data.detail) && data.detail.length) {
      return data.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
    }
    return data.error || "HTTP " + result.status;
  }

  /**
   * Opens the live stream (/api/stream) and hands every message to `onMessage`.
   * Reconnects with a growing pause; the top bar's indicator shows the connection.
   */
  function stream(onMessage) {
    const conn = document.getElementById("conn");
    let pause = 500;
    const show = (state) => {
      if (!conn) return;
      conn.className = "conn " + state;
      conn.textContent = t(state === "live" ? "conn.live" : state === "lost" ? "conn.lost" : "conn.connecting");
    };
    const open = () => {
      show("connecting");
      const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
      const ws = new WebSocket(scheme + "//" + window.location.host + "/api/stream");
      ws.onopen = () => { pause = 500; show("live"); };
      ws.onmessage = (msg) => {
        let data;
        try { data = JSON.parse(msg.data); } catch (err) { return; }
        onMessage(data);
      };
      ws.onclose = (ev) => {
        show("lost");
        if (ev.code === 4401) { window.location.assign("/login"); return; }
        if (ev.code === 4403) return; // this account has no live view: retrying will not help
        setTimeout(open, pause);
        pause = Math.min(pause * 2, 8000);
      };
    };
    open();
  }

  /** Builds an element: el("td", {class: "num"}, "12"). Text is never parsed as HTML. */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "dataset") Object.assign(node.dataset, value);
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      // through the CSSOM: a style attribute would be refused by the Content-Security-Policy
      else if (name === "style") node.style.cssText = value;
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  /** Seconds as m:ss or h:mm:ss (null → —). */
  function duration(seconds) {
    if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return t("common.none");
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = String(s % 60).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + rest : m + ":" + rest;
  }

  /** A share (0..1) as a percentage with one decimal (null → —). */
  function percent(value) {
    if (value === null || value === undefined) return t("common.none");
    return (value * 100).toFixed(1) + "%";
  }

  function count(value) {
    return value === null || value === undefined ? t("common.none") : String(value);
  }

  const timeZone = document.body.dataset.tz || "Asia/Shanghai";

  /** Engine time (epoch seconds) as HH:MM:SS in the hotline's time zone (hotline.yaml). */
  function clock(epoch) {
    if (!epoch) return t("common.none");
    return new Date(epoch * 1000).toLocaleTimeString("zh-CN", { hour12: false, timeZone });
  }

  /** Engine time as MM-DD HH:MM in the hotline's time zone (contact history). */
  function stamp(epoch) {
    if (!epoch) return t("common.none");
    return new Date(epoch * 1000).toLocaleString("zh-CN", {
      timeZone, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false,
    });
  }

  /** A caller's number as a page shows it: 未显示号码 when the call came with none
   * (SIP's "anonymous": no trusted party asserted a number), — when there is no caller. */
  function caller(number) {
    if (!number) return t("common.none");
    return number === "anonymous" ? t("common.caller_hidden") : number;
  }

  function setText(id, text) {
    const node = document.getElementById(id);
    if (node && node.textContent !== text) node.textContent = text;
  }

  function flash(node, kind, text) {
    if (!node) return;
    node.className = "message " + kind;
    node.textContent = text;
    node.hidden = !text;
  }

  // Top bar: the log-out button.
  const logout = document.getElementById("logout");
  if (logout) {
    logout.addEventListener("click", async () => {
      await api("POST", "/api/auth/logout");
      window.location.assign("/login");
    });
  }

  return { t, term, lang, api, errorText, stream, el, duration, percent, count, clock, stamp, setText, flash, caller };
})();
