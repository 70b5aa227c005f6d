// Browser softphone (浏览器软电话): SIP over Kamailio's websocket with JsSIP, audio by WebRTC
// (rtpengine bridges it to Hotline's G.711). Mountable on any console page:
//
//   const phone = Softphone.mount(element, { t: Console.t, credentials: async () => cfg });
//
// `credentials` resolves to what POST /api/desk/softphone answers (ws_url, sip_uri,
// authorization_user, password, realm, display_name) or null when the hotline has no WebRTC
// (the panel then says so and stays off). The phone registers, rings, answers, hangs up, mutes
// the microphone (locally), sends keys as RFC 4733 events (through rtpengine) and tells
// `onChange(phone)` of every change. Hold and transfers stay with the page's API buttons, so
// the engine always knows where the call is.
"use strict";

const Softphone = (() => {
  const RETRY_MS = 3000; // a credential issued a moment ago reaches Kamailio within one 2 s poll
  const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    for (const child of children.flat()) node.append(child);
    return node;
  }

  function mount(root, options) {
    const t = options.t || ((key) => key);
    const onChange = options.onChange || (() => {});
    const status = el("span", { class: "softphone-status", "data-state": "off" }, t("softphone.connecting"));
    const peer = el("span", { class: "softphone-peer mono" });
    const answerBtn = el("button", { type: "button", class: "ok", "data-sp": "answer", hidden: "" }, t("softphone.answer"));
    const hangupBtn = el("button", { type: "button", class: "danger", "data-sp": "hangup", hidden: "" }, t("softphone.hangup"));
    const muteBtn = el("button", { type: "button", "data-sp": "mute", hidden: "" }, t("softphone.mute"));
    const keypad = el("div", { class: "softphone-keys", hidden: "" },
      KEYS.map((key) => el("button", { type: "button", "data-key": key }, key)));
    const audio = el("audio", { autoplay: "" });
    root.replaceChildren(
      el("div", { class: "softphone-head" }, el("b", {}, t("softphone.title")), " ", status, " ", peer),
      el("div", { class: "softphone-buttons" }, answerBtn, hangupBtn, muteBtn),
      keypad,
      audio);

    const phone = {
      state: "connecting", // connecting | registered | failed | off
      session: null, // the JsSIP RTCSession in progress, if any
      ringing: false, // an incoming call waits for answer()
      talking: false,
      muted: false,
      audio,
      answer,
      hangup,
      setMuted,
      dtmf,
      stop,
    };
    let ua = null;
    let config = null;
    let retry = null;
    let failures = 0;

    function render() {
      const label = phone.talking ? "softphone.talking" : phone.ringing ? "softphone.ringing" : "softphone." + phone.state;
      status.textContent = t(label);
      status.dataset.state = phone.talking ? "talking" : phone.ringing ? "ringing" : phone.state;
      root.dataset.state = status.dataset.state;
      answerBtn.hidden = !phone.ringing;
      hangupBtn.hidden = !(phone.ringing || phone.talking);
      muteBtn.hidden = !phone.talking;
      muteBtn.textContent = t(phone.muted ? "softphone.unmute" : "softphone.mute");
      muteBtn.classList.toggle("pressed", phone.muted);
      keypad.hidden = !phone.talking;
      if (!phone.session) peer.textContent = "";
      onChange(phone);
    }

    function set(state) {
      phone.state = state;
      render();
    }

    async function start() {
      clearTimeout(retry);
      config = await options.credentials();
      if (!config) { set("off"); return; }
      if (!window.JsSIP) { set("failed"); status.title = "JsSIP missing (scripts/vendor-js.sh)"; return; }
      if (ua) ua.stop();
      const socket = new JsSIP.WebSocketInterface(config.ws_url);
      ua = new JsSIP.UA({
        sockets: [socket],
        uri: config.sip_uri,
        authorization_user: config.authorization_user,
        password: config.password,
        realm: config.realm,
        display_name: config.display_name,
        register: true,
        register_expires: 300,
        session_timers: false,
        user_agent: "Hotline softphone",
      });
      ua.on("registered", () => { failures = 0; set("registered"); });
      ua.on("unregistered", () => { if (phone.state === "registered") set("connecting"); });
      ua.on("registrationFailed", () => {
        failures += 1;
        set("failed");
        // a new credential may not have reached Kamailio yet; after a few tries ask for a new one
        retry = setTimeout(() => (failures % 5 === 0 ? start() : ua.register()), RETRY_MS);
      });
      ua.on("newRTCSession", (event) => incoming(event));
      set("connecting");
      ua.start();
    }

    function incoming(event) {
      const session = event.session;
      if (event.originator !== "remote") return;
      if (phone.session) { session.terminate({ status_code: 486, reason_phrase: "Busy Here" }); return; }
      phone.session = session;
      phone.ringing = true;
      peer.textContent = session.remote_identity.uri.user || "";
      session.on("peerconnection", (e) => attach(e.peerconnection));
      session.on("confirmed", () => { phone.ringing = false; phone.talking = true; render(); });
      const ended = () => {
        if (phone.session !== session) return;
        phone.session = null;
        phone.ringing = phone.talking = phone.muted = false;
        audio.srcObject = null;
        render();
      };
      session.on("ended", ended);
      session.on("failed", ended);
      render();
    }

    function attach(connection) {
      connection.addEventListener("track", (e) => {
        if (e.streams && e.streams[0]) audio.srcObject = e.streams[0];
      });
    }

    function answer() {
      if (!phone.session || !phone.ringing) return false;
      phone.session.answer({
        mediaConstraints: { audio: true, video: false },
        pcConfig: { iceServers: [] },
      });
      return true;
    }

    function hangup() {
      if (!phone.session) return false;
      phone.session.terminate();
      return true;
    }

    function setMuted(on) {
      if (!phone.session || !phone.talking) return;
      if (on) phone.session.mute({ audio: true }); else phone.session.unmute({ audio: true });
      phone.muted = on;
      render();
    }

    function dtmf(key) {
      if (!phone.session || !phone.talking) return;
      phone.session.sendDTMF(key, { transportType: JsSIP.C.DTMF_TRANSPORT.RFC2833, duration: 160 });
    }

    function stop() {
      clearTimeout(retry);
      if (ua) ua.stop(); // unregisters and ends a call in progress
      ua = null;
      set("off");
    }

    answerBtn.addEventListener("click", answer);
    hangupBtn.addEventListener("click", hangup);
    muteBtn.addEventListener("click", () => setMuted(!phone.muted));
    keypad.addEventListener("click", (e) => { if (e.target.dataset.key) dtmf(e.target.dataset.key); });
    window.addEventListener("pagehide", () => { if (ua) ua.stop(); });
    start();
    return phone;
  }

  return { mount };
})();
