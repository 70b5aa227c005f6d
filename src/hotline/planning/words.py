"""The planning pages' words (排班), Chinese first."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "wfm.nav": "排班",
    "wfm.nav_mine": "我的排班",
    "wfm.title": "排班管理",
    "wfm.mine_title": "我的排班",
    "wfm.note": (
        "按话务量排班：先预测每半小时的来话量和处理时长，再按各队列的服务水平目标算出所需坐席，"
        "最后按班次规则排出一周的班表，发布后坐席可见，报表和交接班按此班表计算。"
    ),
    "wfm.readonly": "只读：排班由排班员制定和发布。",
    "wfm.history": "历史话务",
    "wfm.history_rows": (
        "已导入 {rows} 行（{first} 至 {last}，{calls} 通，队列：{queues}）；"
        "系统运行后的话务从事件日志自动补充。"
    ),
    "wfm.history_none": "尚未导入历史话务；系统运行后的话务从事件日志自动补充。",
    "wfm.import": "导入区间数据 CSV",
    "wfm.imported": "已导入 {rows} 行",
    "wfm.csv_help": (
        "列：queue, interval_start（如 2026-11-02 08:30）"
        ", offered, answered, talk_seconds, wrap_up_seconds"
    ),
    "wfm.specials": "特殊日",
    "wfm.special_first": "开始日期",
    "wfm.special_last": "结束日期",
    "wfm.special_factor": "话务系数",
    "wfm.special_queue": "队列",
    "wfm.special_label": "说明",
    "wfm.special_add": "添加",
    "wfm.special_remove": "删除",
    "wfm.special_all": "全部队列",
    "wfm.special_none": "没有特殊日",
    "wfm.special_added": "已添加特殊日",
    "wfm.make": "生成排班计划",
    "wfm.week": "计划周",
    "wfm.making": "正在预测、计算人力需求并排班，约需一分钟……",
    "wfm.made": "计划 {id} 已生成（草稿）",
    "wfm.plans": "排班计划",
    "wfm.col_plan": "编号",
    "wfm.col_week": "周",
    "wfm.col_status": "状态",
    "wfm.col_calls": "预测来话",
    "wfm.col_agents": "坐席",
    "wfm.col_coverage": "覆盖率",
    "wfm.col_efficiency": "效率",
    "wfm.col_gap": "与下界差距",
    "wfm.col_by": "制定人",
    "wfm.status.draft": "草稿",
    "wfm.status.published": "已发布",
    "wfm.status.superseded": "已替换",
    "wfm.open": "查看",
    "wfm.publish": "发布",
    "wfm.published": "计划 {id} 已发布",
    "wfm.no_plans": "还没有排班计划：选择计划周后点击「生成排班计划」。",
    "wfm.no_rules": "本热线没有 wfm.yaml 班次规则，无法排班。",
    "wfm.tab_forecast": "话务预测",
    "wfm.tab_staffing": "人力需求",
    "wfm.tab_roster": "排班表",
    "wfm.tab_adherence": "遵守率",
    "wfm.queue": "队列",
    "wfm.all_queues": "全部队列",
    "wfm.forecast": "预测",
    "wfm.actual": "实际",
    "wfm.required": "需求",
    "wfm.scheduled": "已排",
    "wfm.accuracy": "回测精度（留出周，次日半小时）",
    "wfm.col_method": "方法",
    "wfm.col_wape": "WAPE",
    "wfm.col_bias": "偏差",
    "wfm.col_origins": "回测次数",
    "wfm.chosen": "（采用）",
    "wfm.method.last_week": "上周同时段",
    "wfm.method.same_type_mean": "同类日均值",
    "wfm.method.mstl": "MSTL 季节分解",
    "wfm.target": "目标 {level} / {seconds} 秒",
    "wfm.week_cov": (
        "本周覆盖率 {coverage}，效率 {efficiency}，缺员 {under} "
        "人·半小时，超员 {over} 人·半小时，与 LP 下界差距 {gap}"
    ),
    "wfm.findings": "约束提示",
    "wfm.tier_high": "高端",
    "wfm.tier_middle": "中端",
    "wfm.tier_ordinary": "普通",
    "wfm.twin_tiers": "来电客户等级：{shares}（近 14 天 {calls} 通实测）",
    "wfm.twin_tiers_none": "来电客户等级：{shares}（近 14 天无来电记录，按普通客户）",
    "wfm.replan": "按孪生结果重排",
    "wfm.replan_hint": "把孪生校验增加的坐席（按缩减系数折算）加到需求上，重新求解排班，生成新草稿",
    "wfm.replanning": "正在按孪生结果重新排班（约一分钟）…",
    "wfm.replanned": "已生成新草稿 #{id}（由 #{from} 按孪生结果重排），请再做一次孪生校验后发布",
    "wfm.replanned_note": "本草稿由 #{from} 按孪生结果重排：{days} 的需求共增加 {added} 人·半小时",
    "wfm.patience": "Erlang A 的客户耐心时长：",
    "wfm.patience_measured": (
        "{queue} {seconds} 秒（制定计划前 14 天实测：{abandons} 次放弃 / {waits} 次排队）"
    ),
    "wfm.patience_configured": (
        "{queues} {seconds} 秒（配置值：制定计划前 14 天放弃不足 30 次，无法实测）"
    ),
    "wfm.agent": "坐席",
    "wfm.hours": "计薪工时",
    "wfm.rest": "休",
    "wfm.swap": "换班",
    "wfm.swap_day": "日期",
    "wfm.swap_first": "坐席甲",
    "wfm.swap_second": "坐席乙",
    "wfm.swapped": "已换班",
    "wfm.roster_filter": "筛选坐席",
    "wfm.adherence_note": "按已发布班表与事件日志中的坐席状态计算；当前周发布后显示。",
    "wfm.not_published": "本周班表尚未发布。",
    "wfm.mine_none": "本周没有您的班次。",
    "wfm.meal": "用餐 {from}–{to}",
    "wfm.prev_week": "上一周",
    "wfm.next_week": "下一周",
    "wfm.day.0": "周一",
    "wfm.day.1": "周二",
    "wfm.day.2": "周三",
    "wfm.day.3": "周四",
    "wfm.day.4": "周五",
    "wfm.day.5": "周六",
    "wfm.day.6": "周日",
    "wfm.adherence": "遵守率",
    "wfm.attendance": "出勤率",
    "wfm.out_now": "当前未遵守",
    "wfm.col_scheduled_activity": "排班要求",
    "wfm.col_actual": "实际状态",
    "wfm.col_since": "开始于",
    "wfm.ended_shifts": "已结束班次",
    "wfm.col_shift": "班次",
    "wfm.col_late": "迟到",
    "wfm.col_early": "早退",
    "wfm.col_overrun": "小休超时",
    "wfm.absent": "缺勤",
    "wfm.activity.work": "在岗",
    "wfm.activity.meal": "用餐",
    "wfm.present_of": "{present}/{scheduled} 班次出勤",
    "wfm.ended_of": "{ended}/{scheduled} 班次已结束",
    "wfm.twin": "数字孪生校验",
    "wfm.twin_note": (
        "把当天排班中每半小时在岗的坐席（按技能组合，扣除人力缩水）放到生产路由引擎上模拟预测来话；"
        "服务水平未达目标的时段加人后再模拟。"
    ),
    "wfm.twin_run": "运行校验",
    "wfm.twin_running": "正在模拟……",
    "wfm.twin_none": "这一天尚未校验。",
    "wfm.twin_summary": "{date}：{rounds} 轮，{seconds} 秒，{verdict}",
    "wfm.twin_met": "全部时段达标",
    "wfm.twin_not_met": "仍有时段未达标",
    "wfm.twin_formula": "公式服务水平",
    "wfm.twin_before": "模拟（加人前）",
    "wfm.twin_after": "模拟（加人后）",
    "wfm.twin_goal": "目标",
    "wfm.twin_group": "技能组",
    "wfm.twin_added": "增加人·半小时",
    "wfm.twin_when": "时段",
    "wfm.twin_no_raise": "无需加人",
    "wfm.twin_also": "（兼 {queues}）",
    "wfm.finding.skill-short": "{queue}：部分时段有该技能且在班的坐席少于需求，这些时段无法排满",
    "wfm.finding.hours-short": "{queue}：本周所需在岗工时超过有该技能的坐席最多能提供的工时",
    "wfm.finding.agents-short": "{queue}：部分时段需求超过全部可排坐席",
    "wfm.finding.no-feasible-week": "坐席 {agents}：按班次规则排不出可行的一周",
}

EN: Final[dict[str, str]] = {
    "wfm.nav": "Planning",
    "wfm.nav_mine": "My schedule",
    "wfm.title": "Workforce planning",
    "wfm.mine_title": "My schedule",
    "wfm.note": (
        "Schedule by call volume: forecast calls and handle time per half hour, compute the "
        "agents each queue's service-level target needs, then build the week's roster from "
        "the shift rules. Once published, agents see it and the reports and handover use it."
    ),
    "wfm.readonly": "Read only: the planner makes and publishes schedules.",
    "wfm.history": "Call history",
    "wfm.history_rows": (
        "{rows} rows imported ({first} to {last}, "
        "{calls} calls, queues: {queues}); calls "
        "since Hotline runs come from the event log."
    ),
    "wfm.history_none": "No history imported; calls since Hotline runs come from the event log.",
    "wfm.import": "Import interval CSV",
    "wfm.imported": "{rows} rows imported",
    "wfm.csv_help": (
        "Columns: queue, interval_start (e.g. 2026-11-02 "
        "08:30), offered, answered, talk_seconds, "
        "wrap_up_seconds"
    ),
    "wfm.specials": "Special days",
    "wfm.special_first": "From",
    "wfm.special_last": "To",
    "wfm.special_factor": "Factor",
    "wfm.special_queue": "Queue",
    "wfm.special_label": "Note",
    "wfm.special_add": "Add",
    "wfm.special_remove": "Remove",
    "wfm.special_all": "All queues",
    "wfm.special_none": "No special days",
    "wfm.special_added": "Special day added",
    "wfm.make": "Make plan",
    "wfm.week": "Week",
    "wfm.making": "Forecasting, staffing and scheduling; about a minute…",
    "wfm.made": "Plan {id} made (draft)",
    "wfm.plans": "Plans",
    "wfm.col_plan": "No.",
    "wfm.col_week": "Week",
    "wfm.col_status": "Status",
    "wfm.col_calls": "Calls forecast",
    "wfm.col_agents": "Agents",
    "wfm.col_coverage": "Coverage",
    "wfm.col_efficiency": "Efficiency",
    "wfm.col_gap": "Gap to bound",
    "wfm.col_by": "By",
    "wfm.status.draft": "Draft",
    "wfm.status.published": "Published",
    "wfm.status.superseded": "Superseded",
    "wfm.open": "Open",
    "wfm.publish": "Publish",
    "wfm.published": "Plan {id} published",
    "wfm.no_plans": "No plans yet: choose a week and press Make plan.",
    "wfm.no_rules": "This hotline has no wfm.yaml shift rules: no schedule can be made.",
    "wfm.tab_forecast": "Forecast",
    "wfm.tab_staffing": "Staffing",
    "wfm.tab_roster": "Roster",
    "wfm.tab_adherence": "Adherence",
    "wfm.queue": "Queue",
    "wfm.all_queues": "All queues",
    "wfm.forecast": "Forecast",
    "wfm.actual": "Actual",
    "wfm.required": "Required",
    "wfm.scheduled": "Scheduled",
    "wfm.accuracy": "Back-test accuracy (held-out weeks, next-day half hours)",
    "wfm.col_method": "Method",
    "wfm.col_wape": "WAPE",
    "wfm.col_bias": "Bias",
    "wfm.col_origins": "Origins",
    "wfm.chosen": " (chosen)",
    "wfm.method.last_week": "Same half hour last week",
    "wfm.method.same_type_mean": "Mean of same day type",
    "wfm.method.mstl": "MSTL decomposition",
    "wfm.target": "Target {level} / {seconds} s",
    "wfm.week_cov": (
        "Week coverage {coverage}, efficiency {efficiency}, "
        "under {under} and over {over} agent-half-hours, "
        "gap to LP bound {gap}"
    ),
    "wfm.findings": "Findings",
    "wfm.tier_high": "high",
    "wfm.tier_middle": "middle",
    "wfm.tier_ordinary": "ordinary",
    "wfm.twin_tiers": "callers' tiers: {shares} (measured on {calls} calls in 14 days)",
    "wfm.twin_tiers_none": "callers' tiers: {shares} (no calls in 14 days: all ordinary)",
    "wfm.replan": "Re-plan with the twin's raises",
    "wfm.replan_hint": (
        "Add the agents the twin checks added (grossed up by the shrinkage) to the "
        "requirement and solve the roster again as a new draft"
    ),
    "wfm.replanning": "Re-planning with the twin's raises (about a minute)…",
    "wfm.replanned": (
        "New draft #{id} (re-planned from #{from} with the twin's raises): "
        "check it in the twin again before publishing"
    ),
    "wfm.replanned_note": (
        "Re-planned from #{from} with the twin's raises: {added} agent-half-hours "
        "added to the requirement on {days}"
    ),
    "wfm.patience": "Callers' patience in Erlang A: ",
    "wfm.patience_measured": (
        "{queue} {seconds} s (measured over 14 days: {abandons} abandons / {waits} waits)"
    ),
    "wfm.patience_configured": (
        "{queues} {seconds} s (configured: fewer than 30 abandons in the 14 days "
        "before the plan, too few to measure)"
    ),
    "wfm.agent": "Agent",
    "wfm.hours": "Paid hours",
    "wfm.rest": "off",
    "wfm.swap": "Swap shifts",
    "wfm.swap_day": "Day",
    "wfm.swap_first": "Agent A",
    "wfm.swap_second": "Agent B",
    "wfm.swapped": "Shifts swapped",
    "wfm.roster_filter": "Filter agents",
    "wfm.adherence_note": (
        "From the published roster and the agents' "
        "states in the event log; shown once this "
        "week is published."
    ),
    "wfm.not_published": "This week's roster is not published yet.",
    "wfm.mine_none": "You have no shifts this week.",
    "wfm.meal": "meal {from}–{to}",
    "wfm.prev_week": "Previous week",
    "wfm.next_week": "Next week",
    "wfm.day.0": "Mon",
    "wfm.day.1": "Tue",
    "wfm.day.2": "Wed",
    "wfm.day.3": "Thu",
    "wfm.day.4": "Fri",
    "wfm.day.5": "Sat",
    "wfm.day.6": "Sun",
    "wfm.adherence": "Adherence",
    "wfm.attendance": "Attendance",
    "wfm.out_now": "Out of adherence now",
    "wfm.col_scheduled_activity": "Scheduled",
    "wfm.col_actual": "Actual",
    "wfm.col_since": "Since",
    "wfm.ended_shifts": "Ended shifts",
    "wfm.col_shift": "Shift",
    "wfm.col_late": "Late log-in",
    "wfm.col_early": "Early log-out",
    "wfm.col_overrun": "Break overrun",
    "wfm.absent": "Absent",
    "wfm.activity.work": "Work",
    "wfm.activity.meal": "Meal",
    "wfm.present_of": "{present}/{scheduled} shifts attended",
    "wfm.ended_of": "{ended}/{scheduled} shifts ended",
    "wfm.twin": "Digital-twin check",
    "wfm.twin_note": (
        "The agents on duty in each half hour of the day (by skill set, "
        "net of shrinkage) take the forecast calls on the production "
        "routing engine; half hours below goal get more agents and are "
        "simulated again."
    ),
    "wfm.twin_run": "Run check",
    "wfm.twin_running": "Simulating…",
    "wfm.twin_none": "This day has not been checked.",
    "wfm.twin_summary": "{date}: {rounds} rounds, {seconds} s, {verdict}",
    "wfm.twin_met": "every half hour meets its goal",
    "wfm.twin_not_met": "some half hours still miss their goal",
    "wfm.twin_formula": "Formula service level",
    "wfm.twin_before": "Simulated (before)",
    "wfm.twin_after": "Simulated (after raises)",
    "wfm.twin_goal": "Goal",
    "wfm.twin_group": "Skill set",
    "wfm.twin_added": "Agent-half-hours added",
    "wfm.twin_when": "Half hours",
    "wfm.twin_no_raise": "No agents needed",
    "wfm.twin_also": " (also {queues})",
    "wfm.finding.skill-short": (
        "{queue}: in some half hours fewer skilled agents can be on duty than needed"
    ),
    "wfm.finding.hours-short": (
        "{queue}: the week needs more agent-hours than its skilled agents can work"
    ),
    "wfm.finding.agents-short": (
        "{queue}: in some half hours the need exceeds every agent who can be scheduled"
    ),
    "wfm.finding.no-feasible-week": "agents {agents}: the rules leave no feasible week",
}
