// The scoring page's player (shared by 录音质检 and 我的质检): the call's recording with
// its two channels drawn as a waveform (客户 above, 坐席 below), the moments speech
// analytics marked (抢话, 静默, 保持音乐) shaded and listed as buttons that jump there,
// the analysis in figures and flags, and the transcript (personal numbers hidden) with
// the phrase rules' hits. Data: GET /api/qa/evaluations/{id}/analysis.
"use strict";

const QaPlayer = (() => {
  const { t, el } = Console;
  const SHADE = { overtalk: "rgba(217, 45, 32, 0.22)", silence: "rgba(102, 112, 133, 0.18)", hold_music: "rgba(21, 112, 239, 0.18)" };

  function clock(seconds) {
    const s = Math.max(0, Math.round(seconds));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  function draw(canvas, envelope, moments, position) {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth * ratio, height = canvas.clientHeight * ratio;
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const g = canvas.getContext("2d");
    g.clearRect(0, 0, width, height);
    const seconds = envelope.seconds || 1;
    for (const m of moments) {
      g.fillStyle = SHADE[m.kind] || "rgba(0,0,0,0.1)";
      g.fillRect((m.start / seconds) * width, 0, Math.max(1, ((m.end - m.start) / seconds) * width), height);
    }
    const half = height / 2;
    const lane = (values, middle, colour) => {
      if (!values || !values.length) return;
      g.fillStyle = colour;
      const step = width / values.length;
      for (let i = 0; i < values.length; i++) {
        const h = Math.max(0.5, values[i] * (half / 2 - 2));
        g.fillRect(i * step, middle - h, Math.max(1, step), 2 * h);
      }
    };
    lane(envelope.caller, half / 2, "#667085");
    lane(envelope.agent, half + half / 2, "#175cd3");
    g.fillStyle = "#98a2b3";
    g.fillRect(0, half, width, 1);
    g.font = 11 * ratio + "px sans-serif";
    g.fillText(t("qa.caller"), 4, 12 * ratio);
    g.fillText(t("qa.agent_side"), 4, half + 12 * ratio);
    if (position !== null) {
      g.fillStyle = "#d92d20";
      g.fillRect((position / seconds) * width, 0, Math.max(1, ratio), height);
    }
  }

  function summary(analysis) {
    const a = analysis;
    const pct = (x) => (x === null || x === undefined ? t("common.none") : Math.round(100 * x));
    const parts = [
      t("qa.talk_share", { agent: pct(a.agent_talk_share), caller: pct(a.caller_talk_share) }),
      t("qa.overtalk", { seconds: (a.overtalk_seconds || 0).toFixed(1), count: a.overtalk_count || 0 }),
      t("qa.longest_silence", { seconds: (a.longest_silence_seconds || 0).toFixed(1) }),
      t("qa.hold_share", { share: pct(a.hold_music_share) }),
    ];
    if (a.agent_syllables_per_minute) parts.push(t("qa.speed", { rate: Math.round(a.agent_syllables_per_minute) }));
    if (a.agent_first_words_seconds !== null && a.agent_first_words_seconds !== undefined) parts.push(t("qa.first_words", { seconds: a.agent_first_words_seconds.toFixed(1) }));
    return parts.join(" · ");
  }

  /** The player and the analysis of one call in `host`. */
  function mount(host, data) {
    host.replaceChildren();
    host.classList.add("qa-player");
    const recording = (data.recordings || [])[0];
    if (!recording) { host.append(el("p", { class: "muted" }, t("qa.no_recording"))); return; }
    const audio = el("audio", { controls: true, preload: "metadata", src: recording.url });
    host.append(el("h3", {}, t("qa.player")), audio);
    const moments = (data.analysis && data.analysis.moments) || [];
    let seek = null;
    if (data.envelope) {
      const canvas = el("canvas", { title: t("qa.player") });
      host.append(canvas);
      const redraw = () => draw(canvas, data.envelope, moments, audio.currentTime || null);
      seek = (at) => { audio.currentTime = Math.max(0, at); audio.play().catch(() => {}); redraw(); };
      canvas.addEventListener("click", (ev) => {
        const box = canvas.getBoundingClientRect();
        seek(((ev.clientX - box.left) / box.width) * data.envelope.seconds);
      });
      audio.addEventListener("timeupdate", redraw);
      window.addEventListener("resize", redraw);
      requestAnimationFrame(redraw);
    } else {
      seek = (at) => { audio.currentTime = Math.max(0, at); audio.play().catch(() => {}); };
    }
    if (moments.length) {
      host.append(el("div", { class: "qa-moments" }, ...moments.map((m) => el("button", { type: "button", onclick: () => seek(m.start) },
        t("qa.moment." + m.kind) + " " + clock(m.start) + "–" + clock(m.end)))));
    }
    host.append(el("h3", {}, t("qa.analysis")));
    if (data.error) host.append(el("p", { class: "muted" }, t("qa.analysis_failed", { error: data.error })));
    else if (!data.analysis) host.append(el("p", { class: "muted" }, t("qa.analysis_pending")));
    else {
      host.append(el("p", {}, summary(data.analysis)));
      const flags = data.analysis.flags || [];
      if (flags.length) host.append(el("p", { class: "qa-flags" }, ...flags.map((f) => el("span", { class: "flag" }, t("qa.flag." + f)))));
    }
    const hits = (data.hits && data.hits.hits) || [];
    if (hits.length) {
      host.append(el("p", {}, ...hits.map((h) => el("button", { type: "button", class: "qa-chip", onclick: () => seek(h.start) },
        t(h.kind === "forbidden" ? "qa.hit.forbidden" : "qa.hit.required", { phrase: h.phrase }) + " " + clock(h.start)))));
    }
    if (data.transcript && data.transcript.length) {
      const forbidden = new Set(hits.filter((h) => h.kind === "forbidden").map((h) => h.start));
      host.append(el("h3", {}, t("qa.transcript")), el("div", { class: "qa-transcript" },
        ...data.transcript.map((line) => el("div", {
          class: "qa-line " + (line.channel === "agent" ? "qa-line-agent" : "qa-line-caller") + (forbidden.has(line.start) ? " qa-line-hit" : ""),
          onclick: () => seek(line.start),
        }, "[" + clock(line.start) + "] " + (line.channel === "agent" ? t("qa.agent_side") : t("qa.caller")) + "：" + line.text))));
    }
  }

  return { mount };
})();
