"""The report pages' words (报表、日报、月报、坐席绩效), Chinese first.

Kept apart from `hotline.web.i18n` like the other pages' words; `i18n` merges both dicts
into its catalogues. The figures' own names come from the catalogue of figures
(`hotline.metrics.FIGURES`), the explanation's sentences from `hotline.reports.words`.
"""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "reports.nav": "报表",
    "reports.nav_scorecard": "我的绩效",
    "reports.title": "运营报表",
    "reports.from": "起",
    "reports.to": "止",
    "reports.by": "分组",
    "reports.by_day": "按日",
    "reports.by_interval": "按半小时",
    "reports.by_hour": "按小时",
    "reports.by_week": "按周",
    "reports.by_month": "按月",
    "reports.by_agent": "按坐席",
    "reports.by_team": "按班组",
    "reports.by_queue": "按队列",
    "reports.by_tier": "按客户等级",
    "reports.sl_variant": "服务水平口径",
    "reports.sl_answered": "接通量为分母",
    "reports.sl_offered": "接通+放弃（剔除短时放弃）为分母",
    "reports.sl_removed": "接通+放弃+转回呼为分母",
    "reports.apply": "查询",
    "reports.csv": "下载 CSV",
    "reports.xlsx": "下载 Excel",
    "reports.daily": "日报",
    "reports.monthly": "月报",
    "reports.chart_missing": "图表库未安装（运行 scripts/vendor-js.sh），表格数据不受影响。",
    "reports.chart_calls": "话务量：本期与上期",
    "reports.chart_sl": "服务水平：本期与上期",
    "reports.chart_abandon": "呼叫放弃率：本期与上期",
    "reports.chart_staff": "坐席工时",
    "reports.summary": "指标汇总（与上期、目标对比）",
    "reports.detail": "分组明细",
    "reports.missing": "无数据的指标及原因",
    "reports.col_figure": "指标",
    "reports.col_current": "本期",
    "reports.col_previous": "上期",
    "reports.col_change": "变化",
    "reports.col_target": "目标",
    "reports.col_group": "分组",
    "reports.col_note": "说明",
    "reports.col_agent": "本人",
    "reports.col_team": "班组",
    "reports.col_center": "全中心",
    "reports.seconds": "{n} 秒",
    "reports.points": "{n} 个百分点",
    "reports.no_previous": "无上期数据",
    "reports.per_hour": "{n} 次/小时",
    "reports.total": "合计",
    "reports.empty": "本期无数据",
    "reports.this_period": "本期",
    "reports.previous_period": "上期",
    "reports.target": "目标",
    "reports.versus": "本期 {first} 至 {last}，对比上期 {prev_first} 至 {prev_last}",
    "reports.back": "返回报表",
    "reports.date": "日期",
    "reports.month": "月份",
    "reports.print": "打印",
    "reports.daily_title": "运营日报",
    "reports.monthly_title": "运营月报",
    "reports.period_line": "统计期：{period}；对比：{previous}",
    "reports.settings_line": (
        "服务水平：{threshold} 秒内接通，{variant}；放弃不超过 {short} 秒的短时放弃不计"
    ),
    "reports.headline": "核心指标",
    "reports.before": "上期",
    "reports.explanation": "变化说明",
    "reports.charts": "图表",
    "reports.seed_figures": "二十三项管理指标",
    "reports.extra_figures": "其他指标",
    "reports.logged_in_hours": "签入工时",
    "reports.scheduled_hours": "排班工时",
    "reports.foot": (
        "数据来源：热线事件日志；成本、排班、人事、质检数据来自配置或导入，"
        "缺失时标明原因而不以零代替。"
    ),
    "reports.adh_title": "排班遵守与出勤（已发布排班）",
    "reports.adh_note": (
        "按已发布排班中已结束的班次计：遵守率 = 按排班状态的时长 / 排班时长，"
        "出勤率 = 有签入的班次 / 排班班次；{agents} 名坐席，遵守率低于 {target} 标红。"
    ),
    "reports.adh_shifts": "班次",
    "reports.adh_adherence": "遵守率",
    "reports.adh_attendance": "出勤率",
    "reports.adh_absent": "缺勤",
    "reports.adh_late": "迟到（次·时长）",
    "reports.adh_early": "早退（次·时长）",
    "reports.adh_overrun": "休息超时（次·时长）",
    "reports.adh_worst": "遵守率最低的坐席",
    "reports.adh_none": "本期尚无可计的班次：只计排班发布之后开始、且已结束的班次。",
    "reports.adh_minutes": "{n} 分钟",
    "reports.scorecard_adherence": "排班遵守（已发布排班，已结束的班次）",
    "reports.error_title": "无法生成报表",
    "reports.no_agent": "坐席 {agent} 不在花名册或事件日志中",
    "reports.scorecard_title": "坐席绩效",
    "reports.scorecard_team": "班组：{team}",
    "reports.no_team": "未分组",
    "reports.scorecard_figures": "本人指标与班组、全中心及目标对比",
    "reports.scorecard_note": (
        "有目标的指标按目标着色（绿：达标，红：未达标），其余按与班组相比的好坏着色；"
        "话务量、工时等可累加的指标，班组与全中心按人均计。"
    ),
}

EN: Final[dict[str, str]] = {
    "reports.nav": "Reports",
    "reports.nav_scorecard": "My scorecard",
    "reports.title": "Reports",
    "reports.from": "From",
    "reports.to": "To",
    "reports.by": "Group by",
    "reports.by_day": "Day",
    "reports.by_interval": "Half hour",
    "reports.by_hour": "Hour",
    "reports.by_week": "Week",
    "reports.by_month": "Month",
    "reports.by_agent": "Agent",
    "reports.by_team": "Team",
    "reports.by_queue": "Queue",
    "reports.by_tier": "Customer tier",
    "reports.sl_variant": "Service level base",
    "reports.sl_answered": "answered calls",
    "reports.sl_offered": "answered + abandoned (short abandons excluded)",
    "reports.sl_removed": "answered + abandoned + callbacks",
    "reports.apply": "Show",
    "reports.csv": "Download CSV",
    "reports.xlsx": "Download Excel",
    "reports.daily": "Daily report",
    "reports.monthly": "Monthly report",
    "reports.chart_missing": (
        "Chart library not installed (run scripts/vendor-js.sh); the tables still show the figures."
    ),
    "reports.chart_calls": "Calls: this period and the one before",
    "reports.chart_sl": "Service level: this period and the one before",
    "reports.chart_abandon": "Abandon rate: this period and the one before",
    "reports.chart_staff": "Agent hours",
    "reports.summary": "Figures against the period before and the targets",
    "reports.detail": "By group",
    "reports.missing": "Figures without a value, and why",
    "reports.col_figure": "Figure",
    "reports.col_current": "This period",
    "reports.col_previous": "Before",
    "reports.col_change": "Change",
    "reports.col_target": "Target",
    "reports.col_group": "Group",
    "reports.col_note": "Note",
    "reports.col_agent": "Agent",
    "reports.col_team": "Team",
    "reports.col_center": "Center",
    "reports.seconds": "{n} s",
    "reports.points": "{n} pp",
    "reports.no_previous": "no data for the previous period",
    "reports.per_hour": "{n} /h",
    "reports.total": "Total",
    "reports.empty": "No data in this period",
    "reports.this_period": "This period",
    "reports.previous_period": "Period before",
    "reports.target": "Target",
    "reports.versus": "{first} to {last}, against {prev_first} to {prev_last}",
    "reports.back": "Back to reports",
    "reports.date": "Date",
    "reports.month": "Month",
    "reports.print": "Print",
    "reports.daily_title": "Daily management report",
    "reports.monthly_title": "Monthly management report",
    "reports.period_line": "Period: {period}; compared with {previous}",
    "reports.settings_line": (
        "Service level: answered within {threshold} "
        "s, base {variant}; abandons within {short} "
        "s not counted"
    ),
    "reports.headline": "Headline figures",
    "reports.before": "before",
    "reports.explanation": "What changed",
    "reports.charts": "Charts",
    "reports.seed_figures": "The 23 management figures",
    "reports.extra_figures": "Other figures",
    "reports.logged_in_hours": "Logged-in hours",
    "reports.scheduled_hours": "Scheduled hours",
    "reports.foot": (
        "Source: the hotline's event log; costs, "
        "schedules, HR and QA data come from configuration "
        "or imports, and a figure without its data "
        "says why instead of showing zero."
    ),
    "reports.adh_title": "Schedule adherence and attendance (published schedule)",
    "reports.adh_note": (
        "Over the published schedule's ended shifts: adherence = time in the scheduled "
        "state / scheduled time, attendance = shifts with a log-in / scheduled shifts; "
        "{agents} agents, adherence below {target} in red."
    ),
    "reports.adh_shifts": "Shifts",
    "reports.adh_adherence": "Adherence",
    "reports.adh_attendance": "Attendance",
    "reports.adh_absent": "Absent",
    "reports.adh_late": "Late log-in (times · time)",
    "reports.adh_early": "Early log-out (times · time)",
    "reports.adh_overrun": "Break overrun (times · time)",
    "reports.adh_worst": "Agents of lowest adherence",
    "reports.adh_none": (
        "No shift to count yet: only shifts that began after their week was published "
        "and have ended count."
    ),
    "reports.adh_minutes": "{n} min",
    "reports.scorecard_adherence": "Schedule adherence (published schedule, ended shifts)",
    "reports.error_title": "The report cannot be made",
    "reports.no_agent": "Agent {agent} is not in the roster or the event log",
    "reports.scorecard_title": "Agent scorecard",
    "reports.scorecard_team": "Team: {team}",
    "reports.no_team": "no team",
    "reports.scorecard_figures": "The agent's figures against the team, the center and the targets",
    "reports.scorecard_note": (
        "Figures with a target are coloured against "
        "it (green: met, red: missed), the others "
        "against the team (better or worse); counts "
        "and hours of the team and the center are "
        "per agent."
    ),
}
