// 接听方式 (移动坐席): the agent chooses where their calls ring — the extension's phone or a
// mobile through the trunk (GET/PUT /api/desk/reach). Shown only where a mobile can be
// reached (real calls with a trunk). `DeskReach.mobile` tells desk.js to say 请在手机上接听.
"use strict";

const DeskReach = (() => {
  const { t, api, flash, errorText } = Console;
  const $ = (id) => document.getElementById(id);
  const state = { mobile: null, onChange: () => {} };
  const form = $("reach-panel");
  if (!form) return state;
  let saving = false;

  function show(reach) {
    state.mobile = reach.mode === "mobile" ? reach.number : null;
    form.hidden = !reach.available;
    $("reach-mode").value = reach.mode;
    $("reach-number").value = reach.number || $("reach-number").value;
    $("reach-number").hidden = reach.mode !== "mobile";
    state.onChange();
  }

  $("reach-mode").addEventListener("change", () => {
    const mobile = $("reach-mode").value === "mobile";
    $("reach-number").hidden = !mobile;
    if (mobile) $("reach-number").focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (saving) return; // one save at a time
    const mobile = $("reach-mode").value === "mobile";
    const number = $("reach-number").value.trim();
    if (mobile && !number) {
      flash($("reach-message"), "error", t("reach.number_required"));
      $("reach-number").focus();
      return;
    }
    saving = true;
    $("reach-save").disabled = true;
    try {
      const result = await api("PUT", "/api/desk/reach", { number: mobile ? number : null });
      if (!result.ok) {
        flash($("reach-message"), "error", errorText(result));
        return;
      }
      show(result.data);
      flash($("reach-message"), "ok", result.data.mode === "mobile"
        ? t("reach.saved_mobile", { number: result.data.number })
        : t("reach.saved_phone"));
    } finally {
      saving = false;
      $("reach-save").disabled = false;
    }
  });

  api("GET", "/api/desk/reach").then((result) => { if (result.ok) show(result.data); });
  return state;
})();
