// Login page: posts the form to /api/auth/login, then opens the user's home page by role.
"use strict";

(() => {
  const form = document.getElementById("login-form");
  const error = document.getElementById("login-error");
  const submit = document.getElementById("login-submit");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = form.username.value.trim();
    const password = form.password.value;
    if (!username || !password) {
      Console.flash(error, "error", Console.t("login.missing"));
      return;
    }
    submit.disabled = true;
    submit.textContent = Console.t("login.busy");
    const result = await Console.api("POST", "/api/auth/login", { username, password });
    submit.disabled = false;
    submit.textContent = Console.t("login.submit");
    if (result.ok) {
      const data = result.data || {};
      if (data.must_change_password) window.location.assign("/password");
      else window.location.assign({ agent: "/desk", department: "/orders/department", planner: "/planning", qa: "/qa" }[data.role] || "/board");
      return;
    }
    let text;
    if (result.status === 429) {
      const minutes = Math.max(1, Math.ceil((result.retryAfter || 300) / 60));
      text = Console.t("login.throttled_for", { minutes });
    }
    else if (result.status === 401 || result.status === 403) text = Console.t("login.wrong");
    else text = Console.t("common.error", { message: Console.errorText(result) });
    Console.flash(error, "error", text);
    form.password.select();
  });
})();
