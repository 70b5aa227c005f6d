// Administration, 用户管理: the users (GET /api/users) with what the administrator may do to
// each other user — reset the password (the user changes it at the next log-in), deactivate
// or reactivate, change the role, issue or revoke an agent's phone (SIP) password — and a
// form to create one. A 处理部门 user (role department) is given their department (orders.yaml
// `departments`, from GET /api/orders/types) when created or given that role. Every refusal
// is said in words.
"use strict";

(() => {
  const { t, el } = Console;
  const $ = (id) => document.getElementById(id);
  const panel = $("admin-users");
  const me = panel.dataset.me;
  const rows = $("users-rows");
  const message = $("users-message");
  const roles = [...$("new-role").options].map((option) => option.value);

  let departments = {}; // orders.yaml department key → its name (抢修班 …)

  /** A department picker (the configured departments), `chosen` selected. */
  function departmentSelect(chosen, attrs) {
    return el("select", attrs,
      el("option", { value: "" }, t("users.department_pick")),
      Object.entries(departments).map(([code, name]) => el("option", { value: code, selected: code === chosen }, name)));
  }

  function roleText(user) {
    const role = t("role." + user.role);
    return user.department ? role + " · " + (departments[user.department] || user.department) : role;
  }

  const path = (username, action) => "/api/users/" + encodeURIComponent(username) + "/" + action;

  function refusal(result) {
    const data = result.data || {};
    if (data.error === "weak-password" && data.rule) return t("password.rule." + data.rule);
    return t("common.error", { message: Console.errorText(result) });
  }

  async function act(method, url, body, done) {
    const result = await Console.api(method, url, body);
    if (result.ok) {
      Console.flash(message, "ok", done(result.data || {}));
      await load();
    } else {
      Console.flash(message, "error", refusal(result));
    }
    return result.ok;
  }

  function resetCell(user, cell) {
    const input = el("input", { type: "password", autocomplete: "new-password", "aria-label": t("users.password") });
    const confirm = el("button", { type: "button", class: "primary" }, t("users.reset"));
    const cancel = el("button", { type: "button" }, "×");
    confirm.addEventListener("click", () =>
      act("POST", path(user.username, "password"), { password: input.value }, () =>
        t("users.reset_done", { username: user.username })));
    cancel.addEventListener("click", () => load());
    cell.replaceChildren(el("div", { class: "row" }, t("users.reset_prompt", { username: user.username }), input, confirm, cancel));
    input.focus();
  }

  function actions(user) {
    const cell = el("td", {});
    if (user.username === me) {
      cell.append(el("span", { class: "muted" }, t("users.you")));
      return cell;
    }
    const reset = el("button", { type: "button", class: "user-reset" }, t("users.reset"));
    reset.addEventListener("click", () => resetCell(user, cell));
    const toggle = el("button", { type: "button", class: "user-toggle" }, user.active ? t("users.deactivate") : t("users.reactivate"));
    toggle.addEventListener("click", () =>
      act("POST", path(user.username, user.active ? "deactivate" : "reactivate"), undefined, () =>
        t(user.active ? "users.deactivated" : "users.reactivated", { username: user.username })));
    const select = el("select", { class: "user-role", "aria-label": t("users.role") },
      roles.map((role) => el("option", { value: role, selected: role === user.role }, t("role." + role))));
    const department = departmentSelect(user.department, { class: "user-department", "aria-label": t("users.department") });
    const showDepartment = () => { department.hidden = select.value !== "department"; };
    select.addEventListener("change", showDepartment);
    showDepartment();
    const change = el("button", { type: "button", class: "user-change-role" }, t("users.change_role"));
    change.addEventListener("click", () => {
      const body = { role: select.value };
      if (select.value === "department") body.department = department.value || null;
      act("POST", path(user.username, "role"), body, (data) =>
        t("users.role_changed", { username: user.username, role: roleText(data.role ? data : { role: select.value }) }));
    });
    cell.append(el("div", { class: "row" }, reset, toggle, select, department, change));
    if (user.role === "agent" && user.agent_id && user.active) cell.append(phoneButtons(user));
    return cell;
  }

  // 话机密码: the agent's SIP phone password, issued by Hotline and shown once.
  function phoneButtons(user) {
    const extension = user.agent_id;
    const url = "/api/phones/" + encodeURIComponent(extension) + "/password";
    const has = phones.has(extension);
    const issue = el("button", { type: "button", class: "phone-issue" }, t(has ? "phones.rotate" : "phones.issue"));
    issue.addEventListener("click", async () => {
      issue.disabled = true;
      await act("POST", url, undefined, (data) =>
        t("phones.issued", { extension, password: data.password, realm: data.realm }));
      issue.disabled = false;
    });
    const row = el("div", { class: "row" }, issue);
    if (has) {
      const revoke = el("button", { type: "button", class: "phone-revoke" }, t("phones.revoke"));
      revoke.addEventListener("click", () =>
        act("DELETE", url, undefined, () => t("phones.revoked", { extension })));
      row.append(revoke);
    }
    return row;
  }

  function status(user) {
    const words = [user.active ? t("users.active") : t("users.inactive")];
    if (user.must_change_password) words.push(t("users.must_change"));
    if (user.agent_id && phones.has(user.agent_id)) words.push(t("phones.has"));
    return words.join(" · ");
  }

  let phones = new Set();

  async function load() {
    const types = await Console.api("GET", "/api/orders/types");
    if (types.ok) departments = types.data.departments || {};
    fillNewDepartment();
    const seats = await Console.api("GET", "/api/phones");
    if (seats.ok) phones = new Set((seats.data || []).filter((s) => s.has_password).map((s) => s.extension));
    const result = await Console.api("GET", "/api/users");
    if (!result.ok) {
      Console.flash(message, "error", refusal(result));
      return;
    }
    const users = result.data || [];
    if (!users.length) {
      rows.replaceChildren(el("tr", {}, el("td", { colspan: 6, class: "muted" }, t("users.empty"))));
      return;
    }
    rows.replaceChildren(...users.map((user) =>
      el("tr", { class: user.active ? "" : "inactive", dataset: { username: user.username } },
        el("td", { class: "mono" }, user.username),
        el("td", {}, user.display_name || ""),
        el("td", { class: "user-role-text" }, roleText(user)),
        el("td", { class: "mono" }, user.agent_id || t("common.none")),
        el("td", {}, status(user)),
        actions(user))));
  }

  $("user-create").addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = $("new-username").value.trim();
    const body = {
      username,
      password: $("new-password").value,
      role: $("new-role").value,
      display_name: $("new-display-name").value.trim(),
    };
    if (body.role === "department") body.department = $("new-department").value || null;
    const ok = await act("POST", "/api/users", body, () => t("users.created", { username }));
    if (ok) {
      $("user-create").reset();
      $("new-department-field").hidden = true;
    }
  });

  function fillNewDepartment() {
    const select = $("new-department");
    if (select.options.length === Object.keys(departments).length + 1) return;
    select.replaceChildren(...departmentSelect(select.value, {}).childNodes);
  }

  $("new-role").addEventListener("change", () => {
    $("new-department-field").hidden = $("new-role").value !== "department";
  });

  load();
})();
