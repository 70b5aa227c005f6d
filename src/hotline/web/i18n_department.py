"""The departments' words (处理部门: 我的部门工单, 跟进 milestones, 发生时间) and the shift
lead's 新建工单 without a call (来源), Chinese first.

Merged into `hotline.web.i18n`'s catalogues like the other pages' words. A milestone of
orders.yaml (``milestones:``) is shown by its word ``orders.milestone.<name>``; one
without a word is shown as configured.
"""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "role.department": "处理部门",
    "users.department": "所属部门",
    "users.department_pick": "请选择部门",
    "department.nav": "我的部门工单",
    "department.title": "我的部门工单",
    "department.subtitle": "{department}：交办给本部门的工单，未办结的在前，剩余时限少的在前",
    "department.none": "您的账号未设置所属部门，请联系管理员",
    "department.count": "共 {n} 张，未办结 {open} 张",
    "department.empty": "本部门暂无工单",
    "department.col_left": "剩余时限",
    "department.col_address": "地址/区域",
    "department.left": "{label} 剩余 {time}",
    "department.late": "{label} 已超时 {time}",
    "department.done": "已办结",
    "orders.follow_up": "跟进",
    "orders.follow_up_hint": "记录本部门的处理进展：",
    "orders.milestone.arrived": "到达现场",
    "orders.milestone.site_feedback": "现场反馈",
    "orders.milestone.restored": "已送电",
    "orders.happened_at": "发生时间",
    "orders.happened_hint": "留空为现在；补录时填实际时间（不能晚于现在，不能早于交办）",
    "orders.happened_bad": "发生时间：请填写完整的日期和时间",
    "orders.step_milestone": "跟进：{milestone}",
    "orders.recorded_later": "（{time} 补录）",
    "orders.source": "来源",
    "orders.source.phone": "电话",
    "orders.source.letter": "来信",
    "orders.source.visit": "来访",
    "orders.source.web": "网站",
    "orders.new_nav": "新建工单",
    "orders.new_title": "新建工单",
    "orders.new_lead_hint": "来信、来访、网站留言等没有来电的诉求，由值班长在此受理；"
    "受理后在工单页交办。",
    "orders.assign_proposed": "（按工单类型建议）",
    "orders.duration.minutes": "{n} 分钟",
    "orders.duration.working_hours": "{n} 个工作小时",
    "orders.duration.working_days": "{n} 个工作日",
    "orders.duration.days": "{n} 天",
}

EN: Final[dict[str, str]] = {
    "role.department": "Department",
    "users.department": "Department",
    "users.department_pick": "Pick a department",
    "department.nav": "My department's orders",
    "department.title": "My department's orders",
    "department.subtitle": "{department}: orders assigned to this department, open and most "
    "urgent first",
    "department.none": "Your account has no department; ask the administrator",
    "department.count": "{n} orders, {open} open",
    "department.empty": "No orders for this department",
    "department.col_left": "Time left",
    "department.col_address": "Address / area",
    "department.left": "{label}: {time} left",
    "department.late": "{label}: {time} late",
    "department.done": "Done",
    "orders.follow_up": "Follow-up",
    "orders.follow_up_hint": "Record your department's progress:",
    "orders.milestone.arrived": "Arrived on site",
    "orders.milestone.site_feedback": "Site feedback",
    "orders.milestone.restored": "Power restored",
    "orders.happened_at": "Happened at",
    "orders.happened_hint": "Empty means now; when reporting later, the real time (not in the "
    "future, not before the assignment)",
    "orders.happened_bad": "Happened at: give the whole date and time",
    "orders.step_milestone": "Follow-up: {milestone}",
    "orders.recorded_later": "(recorded {time})",
    "orders.source": "Source",
    "orders.source.phone": "Phone",
    "orders.source.letter": "Letter",
    "orders.source.visit": "Walk-in",
    "orders.source.web": "Web form",
    "orders.new_nav": "New order",
    "orders.new_title": "New work order",
    "orders.new_lead_hint": "Requests without a call (letters, walk-ins, web forms) are "
    "recorded here by the shift lead, then assigned on the order's page.",
    "orders.assign_proposed": "(proposed for this type)",
    "orders.duration.minutes": "{n} min",
    "orders.duration.working_hours": "{n} working hours",
    "orders.duration.working_days": "{n} working days",
    "orders.duration.days": "{n} days",
}
