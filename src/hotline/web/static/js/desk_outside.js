// 外线咨询 / 三方通话 / 转外线 at the desk: during a conversation the agent dials an outside
// number (a department's duty phone) while the caller hears music, talks with it once it
// answers, then joins all three (三方通话), hands the caller over (完成转接: the agent leaves)
// or hangs it up (取消外线). The buttons follow what desk.js paints: the seat's state
// (#agent-state's data-state) and the call's outside party (#call-info's data-outside).
"use strict";

(() => {
  const { t } = Console;
  const $ = (id) => document.getElementById(id);
  const dial = $("btn-outside");
  if (!dial) return;
  const number = $("outside-number");
  const info = $("outside-info");
  const state = $("agent-state");
  const call = $("call-info");
  let busy = false;

  function outside() {
    return call.dataset.outside ? JSON.parse(call.dataset.outside) : null;
  }

  function follow() {
    const party = outside();
    const talking = state.dataset.state === "talking" || state.dataset.state === "hold";
    dial.disabled = number.disabled = busy || !talking || !!party;
    info.hidden = !party;
    if (!party) return;
    Console.setText("outside-text", t("outside.state." + party.state, { number: party.number }));
    const answered = party.state === "talking" || party.state === "conference";
    $("btn-outside-conference").hidden = party.state === "conference";
    $("btn-outside-conference").disabled = busy || !answered;
    $("btn-outside-transfer").disabled = busy || !answered;
    $("btn-outside-cancel").disabled = busy;
  }

  async function send(path, body) {
    busy = true;
    follow();
    const result = await Console.api("POST", "/api/desk/outside" + path, body);
    busy = false;
    if (result.ok) {
      Console.flash($("desk-message"), "ok", "");
      call.dataset.outside = result.data.state === "transferred" ? "" : JSON.stringify({ number: result.data.number, state: result.data.state });
      if (path === "") number.value = "";
    } else {
      Console.flash($("desk-message"), "error", t("common.error", { message: Console.errorText(result) }));
    }
    follow();
  }

  dial.addEventListener("click", () => send("", { number: number.value.trim() }));
  number.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !dial.disabled) send("", { number: number.value.trim() });
  });
  $("btn-outside-conference").addEventListener("click", () => send("/conference"));
  $("btn-outside-transfer").addEventListener("click", () => send("/transfer"));
  $("btn-outside-cancel").addEventListener("click", () => send("/cancel"));
  const watch = new MutationObserver(follow);
  watch.observe(state, { attributes: true, attributeFilter: ["data-state"] });
  watch.observe(call, { attributes: true, attributeFilter: ["data-outside"] });
  follow();
})();
