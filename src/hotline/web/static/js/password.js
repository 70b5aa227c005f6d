// 修改密码: POST /api/auth/password with the current and the new password; the refusals are
// said in the page's language, naming the field (the rule of a weak password, a wrong
// current password, too many tries). Once changed, the user goes on to their home page.
"use strict";

(() => {
  const { t } = Console;
  const $ = (id) => document.getElementById(id);
  const form = $("password-form");
  const message = $("password-message");
  const submit = $("password-submit");
  const home = $("password-panel").dataset.home || "/";

  function refusal(result) {
    const data = result.data || {};
    if (result.status === 429) {
      return t("password.throttled", { minutes: Math.max(1, Math.ceil((result.retryAfter || 60) / 60)) });
    }
    if (data.error === "wrong-password") return t("password.wrong");
    if (data.error === "weak-password" && data.rule) return t("password.rule." + data.rule);
    return t("common.error", { message: Console.errorText(result) });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const current = $("current-password").value;
    const next = $("new-password").value;
    if (!current || !next) {
      Console.flash(message, "error", t("password.missing"));
      return;
    }
    if (next !== $("confirm-password").value) {
      Console.flash(message, "error", t("password.mismatch"));
      $("confirm-password").select();
      return;
    }
    submit.disabled = true;
    submit.textContent = t("password.busy");
    const result = await Console.api("POST", "/api/auth/password", {
      current_password: current,
      new_password: next,
    });
    submit.disabled = false;
    submit.textContent = t("password.submit");
    if (result.ok) {
      form.reset();
      Console.flash(message, "ok", t("password.done"));
      window.setTimeout(() => window.location.assign(home), 1200);
      return;
    }
    Console.flash(message, "error", refusal(result));
    const field = (result.data || {}).field === "body.current_password" ? "current-password" : "new-password";
    $(field).select();
  });
})();
