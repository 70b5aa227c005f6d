// Web call page (网页呼叫): calls the hotline from the browser (JsSIP over Kamailio's
// websocket, WebRTC audio through rtpengine) into the IVR; a keypad sends RFC 4733 keys,
// 挂断 ends the call. The page needs no login; a token the center's site signed (?token=…)
// travels in the INVITE's X-Hotline-Token header and names the caller.
"use strict";

(() => {
  const root = document.getElementById("webcall");
  const dataEl = document.getElementById("i18n");
  const words = dataEl ? JSON.parse(dataEl.textContent) : {};
  const t = (key, params) => {
    let text = words[key] ?? key;
    for (const [name, value] of Object.entries(params || {})) text = text.split("{" + name + "}").join(String(value));
    return text;
  };
  const status = document.getElementById("webcall-status");
  const callBtn = document.getElementById("webcall-call");
  const hangupBtn = document.getElementById("webcall-hangup");
  const keys = document.getElementById("webcall-keys");
  const audio = document.getElementById("webcall-audio");
  const { ws: wsUrl, target, token } = root.dataset;
  let ua = null;
  let session = null;

  function show(state, text) {
    status.dataset.state = state;
    status.textContent = text || t("webcall." + state);
    const busy = state === "connecting" || state === "ringing" || state === "talking";
    callBtn.hidden = busy;
    hangupBtn.hidden = !busy;
    keys.hidden = state !== "talking";
  }

  function agent() {
    if (ua) return ua;
    ua = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(wsUrl)],
      uri: "sip:webcall@anonymous.invalid",
      display_name: "webcall",
      register: false,
      session_timers: false,
      user_agent: "Hotline web call",
    });
    ua.start();
    return ua;
  }

  function call() {
    if (!wsUrl || !target || session) return;
    show("connecting");
    const headers = token ? ["X-Hotline-Token: " + token] : [];
    session = agent().call(target, {
      mediaConstraints: { audio: true, video: false },
      pcConfig: { iceServers: [] },
      extraHeaders: headers,
      eventHandlers: {
        progress: () => show("ringing"),
        confirmed: () => show("talking"),
        ended: () => { session = null; audio.srcObject = null; show("ended"); },
        failed: (e) => { session = null; audio.srcObject = null; show("failed", t("webcall.failed", { reason: e.cause })); },
      },
    });
    session.connection.addEventListener("track", (e) => {
      if (e.streams && e.streams[0]) audio.srcObject = e.streams[0];
    });
  }

  callBtn.addEventListener("click", call);
  hangupBtn.addEventListener("click", () => { if (session) session.terminate(); });
  keys.addEventListener("click", (e) => {
    const key = e.target.dataset.key;
    if (key && session) session.sendDTMF(key, { transportType: JsSIP.C.DTMF_TRANSPORT.RFC2833, duration: 160 });
  });
  window.addEventListener("pagehide", () => { if (ua) ua.stop(); });
})();
