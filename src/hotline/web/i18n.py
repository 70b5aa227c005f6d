"""The console's words: one message catalogue per language, Chinese first, English second.

Every string a page shows comes from here, templates and scripts alike (the scripts get the
page language's catalogue as JSON), so a term is translated once and reads the same
everywhere; the Chinese terms follow the glossary of SPEC.md. A key missing from English
falls back to the Chinese text rather than showing the raw key.
"""

from __future__ import annotations

from typing import Final

LANGUAGES: Final = ("zh", "en")
DEFAULT_LANGUAGE: Final = "zh"
LANG_COOKIE: Final = "lang"

ZH: Final[dict[str, str]] = {
    "app.name": "热线服务平台",
    "app.tagline": "呼叫中心",
    "lang.zh": "中文",
    "lang.en": "English",
    "nav.desk": "坐席工作台",
    "nav.board": "实时监控",
    "nav.admin": "系统管理",
    "nav.logout": "退出",
    "role.agent": "客服代表",
    "role.shift_lead": "值班长",
    "role.supervisor": "主管",
    "role.qa": "质检员",
    "role.admin": "管理员",
    "role.planner": "排班员",
    "conn.live": "实时连接",
    "conn.lost": "连接中断，正在重连…",
    "conn.connecting": "正在连接…",
    "common.none": "—",
    "common.caller_hidden": "未显示号码",
    "common.seconds": "{n} 秒",
    "common.error": "操作失败：{message}",
    "common.loading": "加载中…",
    # login
    "login.title": "登录",
    "login.heading": "登录热线服务平台",
    "login.username": "用户名 / 工号",
    "login.password": "密码",
    "login.submit": "登录",
    "login.busy": "正在登录…",
    "login.wrong": "用户名或密码错误",
    "login.throttled": "登录失败次数过多，请 5 分钟后再试",
    "login.missing": "请输入用户名和密码",
    "login.hint": "坐席请使用工号登录",
    # forbidden
    "forbidden.title": "无权访问",
    "forbidden.text": "您的角色（{role}）不能访问此页面。",
    "forbidden.back": "返回我的首页",
    "not_found.title": "页面不存在",
    "not_found.text": "没有这个页面：{path}",
    "not_found.back": "返回我的首页",
    "not_found.login": "去登录",
    # agent states and reasons
    "state.logged_out": "已签出",
    "state.ready": "示闲",
    "state.not_ready": "示忙",
    "state.away": "离开",
    "state.ringing": "振铃",
    "state.talking": "通话中",
    "state.hold": "保持",
    "state.wrap_up": "事后处理",
    "reason.busy": "示忙",
    "reason.break": "小休",
    "reason.meal": "用餐",
    "reason.training": "培训",
    "reason.meeting": "会议",
    "reason.login": "刚签入",
    "reason.missed": "未接来电",
    "reason.unreachable": "无法接通",
    "reason.supervisor": "主管设置",
    # customers
    "tier.high": "高端",
    "tier.middle": "中端",
    "tier.ordinary": "普通",
    "mark.red": "红名单",
    "mark.black": "黑名单",
    "mark.none": "普通名单",
    "outcome.answered": "已接通",
    "outcome.abandoned": "放弃",
    "outcome.self_served": "自助服务",
    "outcome.callback": "回呼",
    "outcome.blocked": "未接入",
    "outcome.not_reached": "外呼未接通",
    "outcome.notified": "已通知",
    "outcome.dropped": "外呼放弃 (无空闲坐席)",
    "phase.ringing": "来电振铃",
    "phase.talking": "通话中",
    "phase.held": "保持中",
    "phase.wrap_up": "事后处理",
    # desk
    "desk.title": "坐席工作台",
    "desk.agent": "工号",
    "desk.name": "姓名",
    "desk.state": "状态",
    "desk.in_state": "本状态时长",
    "desk.states": "坐席状态",
    "desk.login": "签入",
    "desk.ready": "示闲",
    "desk.not_ready": "示忙",
    "desk.reason": "示忙原因",
    "desk.break": "小休",
    "desk.away": "离开",
    "desk.logout": "签出",
    "desk.call": "当前来电",
    "desk.no_call": "暂无来电，示闲后等待系统分配",
    "desk.popup": "来电弹屏",
    "desk.incoming": "新来电",
    "desk.caller": "来电号码",
    "desk.queue": "队列",
    "desk.waited": "排队等待",
    "desk.phase": "通话状态",
    "desk.customer": "客户信息",
    "desk.customer_unknown": "未识别的客户（号码未登记）",
    "desk.customer_name": "户名",
    "desk.customer_account": "户号",
    "desk.customer_phone": "联系电话",
    "desk.customer_id_number": "证件号码",
    "desk.customer_address": "用电地址",
    "desk.history": "来电历史",
    "desk.lookup": "客户查询",
    "desk.lookup_hint": "通话中可按电话或户号查询，每次查询均留痕",
    "desk.lookup_by": "查询方式",
    "desk.lookup_by_phone": "电话",
    "desk.lookup_by_account": "户号",
    "desk.lookup_placeholder": "输入电话号码或户号",
    "desk.lookup_submit": "查询",
    "desk.lookup_no_call": "接通来电后才能查询客户",
    "desk.lookup_none": "未找到{by}为 {query} 的客户",
    "desk.lookup_found": "找到 {n} 位客户",
    "desk.lookup_on_call": "本次来电客户",
    "desk.lookup_masked": "非本次来电客户，信息已脱敏",
    "desk.history_empty": "暂无来电记录",
    "desk.history_at": "时间",
    "desk.history_outcome": "结果",
    "desk.history_agent": "坐席",
    "desk.history_disposition": "处理结果",
    "desk.orders": "未结工单",
    "desk.orders_empty": "暂无工单",
    "desk.answer": "接听",
    "desk.hold": "保持",
    "desk.retrieve": "取回",
    "desk.transfer": "转接",
    "desk.transfer_to": "转接至",
    "desk.transfer_blind": "盲转",
    "desk.consult": "咨询",
    "desk.customer_lifecycle": "生命周期",
    "lifecycle.identification": "识别期",
    "lifecycle.growth": "成长期",
    "lifecycle.stable": "稳定期",
    "lifecycle.warning": "预警期",
    "desk.consult_title": "咨询转接: 保持客户, 先与所选队列的空闲坐席通话",
    "desk.consult_asking": "正在咨询 {target} ({queue}): {phase}",
    "desk.consult_from": "坐席 {agent} 咨询您 (客户保持中), 挂断即结束咨询",
    "desk.consult_complete": "完成转接",
    "desk.consult_cancel": "取消咨询",
    "desk.hangup": "挂断",
    "desk.acw": "事后处理",
    "desk.acw_left": "剩余时间",
    "desk.acw_over": "已超时",
    "desk.disposition": "处理结果",
    "desk.disposition_pick": "请选择处理结果",
    "desk.disposition_proposed": "本次通话已建工单 {id}，建议选择「已建工单」",
    "desk.disposition_required": "请先选择处理结果",
    "desk.note_required": "此处理结果须填写备注：复述客户诉求和处理情况",
    "desk.note": "备注",
    "desk.note_placeholder": "复述客户主要诉求并记录处理情况",
    "desk.then": "完成后",
    "desk.then_ready": "示闲",
    "desk.then_not_ready": "示忙",
    "desk.finish": "完成",
    "desk.scripts": "服务用语",
    "desk.greeting": "开头语",
    "desk.closing": "结束语",
    "desk.greeting_default": "您好！我是{agent}号客服代表，请问需要什么帮助？",
    "desk.closing_default": "请问还需要什么帮助吗？感谢您的来电，再见！请您为本次服务进行评价。",
    "desk.no_agent": "此账号未绑定工号，无法使用坐席工作台。",
    "desk.done": "已提交",
    "disposition.solved": "已解答",
    "disposition.order_created": "已建工单",
    "disposition.transferred": "已转接",
    "disposition.callback": "需回电",
    "disposition.complaint": "投诉受理",
    "disposition.invalid": "无效来电",
    # board
    "board.title": "实时监控",
    "board.engine_time": "系统时间",
    "board.speed": "演示速度",
    "board.totals": "全部队列",
    "board.queues": "队列",
    "board.waiting": "排队数",
    "board.longest": "最长等待",
    "board.offered": "呼入",
    "board.answered": "接通",
    "board.abandoned": "放弃",
    "board.answer_rate": "接通率",
    "board.service_level": "服务水平",
    "board.goal": "目标 {goal} / {target} 秒",
    "board.by_tier": "分级服务水平",
    "board.figures_at": "统计截至",
    "board.figures_at_hint": "呼入、接通、放弃和服务水平由已存储的事件日志统计, 与报表同一口径",
    "board.window": "近 {minutes} 分钟服务水平",
    "board.window_counts": "呼入 {offered} · 接通 {answered} · 放弃 {abandoned}",
    "board.agents": "坐席状态",
    "board.agents_summary": "{online} 人在线 · {ready} 示闲 · {busy} 通话",
    "board.off_schedule": " · 未按排班 {n} 人",
    "board.off_schedule_tile": "未按排班：应{activity}",
    "board.human": "人工席",
    "board.force_hint": "点击坐席可设置其状态",
    "board.queue_sum": "各队列合计 {sum}（{extra} 次转入其他队列）",
    "board.queue_sum_hint": "一通来电被转接或因超时溢出到另一队列时，两个队列各计一次："
    "各队列之和比全部来电多出的就是这些转入",
    "board.waiting_calls": "排队中的来电（等待最久的在前，号码已隐藏）",
    "board.waiting_more": "另有 {n} 个排队",
    "board.force_title": "设置坐席状态",
    "board.force_state": "置为",
    "board.force_reason": "示忙原因",
    "board.force_login": "签入",
    "board.force_logout": "签出",
    "board.force_logged_out": "该坐席未签入：只能先为其签入。",
    "board.force_ok": "确定",
    "board.force_cancel": "取消",
    "board.chart": "今日半小时话务量",
    "board.chart_missing": "图表组件未安装（运行 scripts/vendor-js.sh）；数据照常更新。",
    "board.alerts": "告警",
    "board.alerts_empty": "暂无告警",
    "board.alert_waiting": "排队过多",
    "board.alert_orders_overdue": "工单超时",
    "board.alert_service_level": "服务水平低于目标",
    "board.alert_longest_wait": "等待时间过长",
    "board.no_data": "暂无数据",
    # admin
    "admin.title": "系统管理",
    "admin.agents": "坐席",
    "admin.skills": "技能",
    "admin.queues": "队列",
    "admin.tiers": "客户等级",
    "admin.config": "配置文件（IVR 流程与 hotline.yaml）",
    "admin.agent_id": "工号",
    "admin.agent_name": "姓名",
    "admin.agent_skills": "技能（等级）",
    "admin.agent_main": "主技能",
    "admin.agent_groups": "班组",
    "admin.skill_name": "技能",
    "admin.skill_title": "名称",
    "admin.queue_name": "队列",
    "admin.queue_title": "名称",
    "admin.queue_skill": "技能",
    "admin.queue_strategy": "分配策略",
    "admin.queue_wrap_up": "事后处理",
    "admin.queue_max_wait": "最长等待",
    "admin.queue_sl": "服务水平目标",
    "admin.tier": "等级 / 名单",
    "admin.priority": "排队优先级",
    "admin.callback": "未接通回呼",
    "admin.callback_within": "{hours} 小时内回呼",
    "admin.document": "文件",
    "admin.load": "加载",
    "admin.upload": "上传文件",
    "admin.uploaded": "已读入 {file}; 点击“校验并保存”后生效",
    "admin.save": "校验并保存",
    "admin.saved": "已保存，版本 {version}",
    "admin.loaded": "已加载，版本 {version}",
    "admin.invalid": "校验未通过，未保存：",
    "admin.no_agents": "未配置坐席（由仿真场景提供）",
    "strategy.longest_idle": "最长空闲",
    "strategy.fewest_calls": "最少接听",
    "strategy.least_talk": "最少通话时长",
    "strategy.top_skill": "最高技能",
    "strategy.round_robin": "轮询",
}

EN: Final[dict[str, str]] = {
    "app.name": "Hotline Service Platform",
    "app.tagline": "call center",
    "lang.zh": "中文",
    "lang.en": "English",
    "nav.desk": "Agent desk",
    "nav.board": "Wallboard",
    "nav.admin": "Administration",
    "nav.logout": "Log out",
    "role.agent": "Agent",
    "role.shift_lead": "Shift lead",
    "role.supervisor": "Supervisor",
    "role.qa": "QA inspector",
    "role.admin": "Administrator",
    "role.planner": "Workforce planner",
    "conn.live": "Live",
    "conn.lost": "Connection lost, reconnecting…",
    "conn.connecting": "Connecting…",
    "common.none": "—",
    "common.caller_hidden": "No caller ID",
    "common.seconds": "{n} s",
    "common.error": "Failed: {message}",
    "common.loading": "Loading…",
    "login.title": "Log in",
    "login.heading": "Log in to the hotline platform",
    "login.username": "User name / agent ID",
    "login.password": "Password",
    "login.submit": "Log in",
    "login.busy": "Logging in…",
    "login.wrong": "Wrong user name or password",
    "login.throttled": "Too many failed attempts; try again in 5 minutes",
    "login.missing": "Enter your user name and password",
    "login.hint": "Agents log in with their agent ID",
    "forbidden.title": "Not allowed",
    "forbidden.text": "Your role ({role}) may not open this page.",
    "forbidden.back": "Back to my home page",
    "not_found.title": "Page not found",
    "not_found.text": "There is no page {path}.",
    "not_found.back": "Back to my home page",
    "not_found.login": "Log in",
    "state.logged_out": "Logged out",
    "state.ready": "Ready",
    "state.not_ready": "Not ready",
    "state.away": "Away",
    "state.ringing": "Ringing",
    "state.talking": "Talking",
    "state.hold": "On hold",
    "state.wrap_up": "After-call work",
    "reason.busy": "Busy",
    "reason.break": "Break",
    "reason.meal": "Meal",
    "reason.training": "Training",
    "reason.meeting": "Meeting",
    "reason.login": "Just logged in",
    "reason.missed": "Missed call",
    "reason.unreachable": "Unreachable",
    "reason.supervisor": "Set by supervisor",
    "tier.high": "High",
    "tier.middle": "Middle",
    "tier.ordinary": "Ordinary",
    "mark.red": "Red list",
    "mark.black": "Black list",
    "mark.none": "No list",
    "outcome.answered": "Answered",
    "outcome.abandoned": "Abandoned",
    "outcome.self_served": "Self-served",
    "outcome.callback": "Callback",
    "outcome.blocked": "Blocked",
    "outcome.not_reached": "Not reached (outbound)",
    "outcome.notified": "Notified (outbound)",
    "outcome.dropped": "Dropped by the dialer (outbound)",
    "phase.ringing": "Ringing",
    "phase.talking": "Talking",
    "phase.held": "On hold",
    "phase.wrap_up": "After-call work",
    "desk.title": "Agent desk",
    "desk.agent": "Agent ID",
    "desk.name": "Name",
    "desk.state": "State",
    "desk.in_state": "Time in state",
    "desk.states": "Agent state",
    "desk.login": "Log in",
    "desk.ready": "Ready",
    "desk.not_ready": "Not ready",
    "desk.reason": "Reason",
    "desk.break": "Break",
    "desk.away": "Away",
    "desk.logout": "Log out",
    "desk.call": "Current call",
    "desk.no_call": "No call. Go ready to receive calls.",
    "desk.popup": "Incoming call",
    "desk.incoming": "Incoming call",
    "desk.caller": "Caller",
    "desk.queue": "Queue",
    "desk.waited": "Waited",
    "desk.phase": "Call state",
    "desk.customer": "Customer",
    "desk.customer_unknown": "Unknown customer (number not registered)",
    "desk.customer_name": "Name",
    "desk.customer_account": "Account",
    "desk.customer_phone": "Phone",
    "desk.customer_id_number": "ID number",
    "desk.customer_address": "Address",
    "desk.history": "Contact history",
    "desk.lookup": "Customer look-up",
    "desk.lookup_hint": "During a call, by phone or account; every look-up is audited",
    "desk.lookup_by": "Look up by",
    "desk.lookup_by_phone": "Phone",
    "desk.lookup_by_account": "Account",
    "desk.lookup_placeholder": "Phone number or account",
    "desk.lookup_submit": "Look up",
    "desk.lookup_no_call": "Answer a call to look customers up",
    "desk.lookup_none": "No customer with {by} {query}",
    "desk.lookup_found": "{n} customer(s) found",
    "desk.lookup_on_call": "The caller's own record",
    "desk.lookup_masked": "Not the caller: numbers masked",
    "desk.history_empty": "No earlier contacts",
    "desk.history_at": "Time",
    "desk.history_outcome": "Outcome",
    "desk.history_agent": "Agent",
    "desk.history_disposition": "Disposition",
    "desk.orders": "Open work orders",
    "desk.orders_empty": "No work orders",
    "desk.answer": "Answer",
    "desk.hold": "Hold",
    "desk.retrieve": "Retrieve",
    "desk.transfer": "Transfer",
    "desk.transfer_to": "Transfer to",
    "desk.transfer_blind": "Blind transfer",
    "desk.consult": "Consult",
    "desk.customer_lifecycle": "Lifecycle",
    "lifecycle.identification": "Identification",
    "lifecycle.growth": "Growth",
    "lifecycle.stable": "Stable",
    "lifecycle.warning": "Churn warning",
    "desk.consult_title": "Consult transfer: caller on hold, talk first with a free agent",
    "desk.consult_asking": "Consulting {target} ({queue}): {phase}",
    "desk.consult_from": "Agent {agent} consults you (caller on hold); hang up to end it",
    "desk.consult_complete": "Complete transfer",
    "desk.consult_cancel": "Cancel consultation",
    "desk.hangup": "Hang up",
    "desk.acw": "After-call work",
    "desk.acw_left": "Time left",
    "desk.acw_over": "Overdue",
    "desk.disposition": "Disposition",
    "desk.disposition_pick": "Choose a disposition",
    "desk.disposition_proposed": "Order {id} was taken on this call: “Work order created”",
    "desk.disposition_required": "Choose a disposition first",
    "desk.note_required": "This disposition needs a note: the customer's issue and what was done",
    "desk.note": "Note",
    "desk.note_placeholder": "Restate the customer's main issue and what was done",
    "desk.then": "Then",
    "desk.then_ready": "Ready",
    "desk.then_not_ready": "Not ready",
    "desk.finish": "Done",
    "desk.scripts": "Scripts",
    "desk.greeting": "Greeting",
    "desk.closing": "Closing",
    "desk.greeting_default": "Hello! This is agent {agent}. How may I help you?",
    "desk.closing_default": (
        "Is there anything else I can help with? Thank you for calling, goodbye! "
        "Please rate this service."
    ),
    "desk.no_agent": "This account has no agent ID; the agent desk is not available.",
    "desk.done": "Submitted",
    "disposition.solved": "Answered",
    "disposition.order_created": "Work order created",
    "disposition.transferred": "Transferred",
    "disposition.callback": "Call back needed",
    "disposition.complaint": "Complaint accepted",
    "disposition.invalid": "Invalid call",
    "board.title": "Wallboard",
    "board.engine_time": "System time",
    "board.speed": "Demo speed",
    "board.totals": "All queues",
    "board.queues": "Queues",
    "board.waiting": "Waiting",
    "board.longest": "Longest wait",
    "board.offered": "Offered",
    "board.answered": "Answered",
    "board.abandoned": "Abandoned",
    "board.answer_rate": "Answer rate",
    "board.service_level": "Service level",
    "board.goal": "Goal {goal} / {target} s",
    "board.by_tier": "Service level by tier",
    "board.figures_at": "Counted up to",
    "board.figures_at_hint": (
        "Offered, answered, abandoned and service levels are counted from the stored "
        "event log, as the reports count them"
    ),
    "board.window": "Service level, last {minutes} min",
    "board.window_counts": "Offered {offered} · answered {answered} · abandoned {abandoned}",
    "board.agents": "Agents",
    "board.agents_summary": "{online} online · {ready} ready · {busy} on calls",
    "board.off_schedule": " · {n} out of adherence",
    "board.off_schedule_tile": "Out of adherence: scheduled {activity}",
    "board.human": "Human seat",
    "board.force_hint": "Click an agent to set its state",
    "board.queue_sum": "queues together {sum} ({extra} moved to another queue)",
    "board.queue_sum_hint": "A call transferred or overflowing to another queue counts once in "
    "each queue: the queues' sum exceeds the calls by these moves",
    "board.waiting_calls": "Callers waiting (longest first, numbers masked)",
    "board.waiting_more": "{n} more waiting",
    "board.force_title": "Set the agent's state",
    "board.force_state": "Set to",
    "board.force_reason": "Not-ready reason",
    "board.force_login": "Sign in",
    "board.force_logout": "Sign out",
    "board.force_logged_out": "This agent is logged out: sign the seat in first.",
    "board.force_ok": "Apply",
    "board.force_cancel": "Cancel",
    "board.chart": "Calls per half hour today",
    "board.chart_missing": (
        "Chart library not installed (run scripts/vendor-js.sh); the numbers still update."
    ),
    "board.alerts": "Alerts",
    "board.alerts_empty": "No alerts",
    "board.alert_waiting": "Too many waiting",
    "board.alert_orders_overdue": "Orders overdue",
    "board.alert_service_level": "Service level below goal",
    "board.alert_longest_wait": "Waiting too long",
    "board.no_data": "No data yet",
    "admin.title": "Administration",
    "admin.agents": "Agents",
    "admin.skills": "Skills",
    "admin.queues": "Queues",
    "admin.tiers": "Customer tiers",
    "admin.config": "Configuration files (IVR flows and hotline.yaml)",
    "admin.agent_id": "Agent ID",
    "admin.agent_name": "Name",
    "admin.agent_skills": "Skills (level)",
    "admin.agent_main": "Main skill",
    "admin.agent_groups": "Groups",
    "admin.skill_name": "Skill",
    "admin.skill_title": "Title",
    "admin.queue_name": "Queue",
    "admin.queue_title": "Title",
    "admin.queue_skill": "Skill",
    "admin.queue_strategy": "Strategy",
    "admin.queue_wrap_up": "Wrap-up",
    "admin.queue_max_wait": "Max wait",
    "admin.queue_sl": "Service level goal",
    "admin.tier": "Tier / list",
    "admin.priority": "Queue priority",
    "admin.callback": "Callback when not reached",
    "admin.callback_within": "within {hours} h",
    "admin.document": "File",
    "admin.load": "Load",
    "admin.upload": "Upload file",
    "admin.uploaded": "Read {file}; press “Validate and save” to apply it",
    "admin.save": "Validate and save",
    "admin.saved": "Saved, version {version}",
    "admin.loaded": "Loaded, version {version}",
    "admin.invalid": "Not valid, nothing saved:",
    "admin.no_agents": "No agents configured (the simulation scenario provides them)",
    "strategy.longest_idle": "Longest idle",
    "strategy.fewest_calls": "Fewest calls",
    "strategy.least_talk": "Least talk time",
    "strategy.top_skill": "Top skill",
    "strategy.round_robin": "Round robin",
}

CATALOGUES: Final[dict[str, dict[str, str]]] = {"zh": ZH, "en": EN}


def pick_language(query: str | None, cookie: str | None) -> str:
    """The page language: an explicit ``?lang=`` wins, then the cookie, then Chinese."""
    for choice in (query, cookie):
        if choice in CATALOGUES:
            return choice
    return DEFAULT_LANGUAGE


def catalogue(lang: str) -> dict[str, str]:
    """Every message in ``lang``, Chinese where English has no entry (for the page scripts)."""
    return ZH | CATALOGUES.get(lang, ZH)


def translate(lang: str, key: str, **params: object) -> str:
    """The message ``key`` in ``lang`` with ``{name}`` placeholders filled from ``params``.

    Falls back to Chinese, then to the key itself, so a missing entry shows up in the page
    (and in the catalogue test) instead of raising in the middle of a render.
    """
    text = CATALOGUES.get(lang, ZH).get(key) or ZH.get(key) or key
    return text.format(**params) if params else text


from hotline.web import i18n_orders as _orders  # noqa: E402  (the work-order pages' words)

ZH.update(_orders.ZH)
EN.update(_orders.EN)

from hotline.web import i18n_kb as _kb  # noqa: E402  (the knowledge base pages' words)

ZH.update(_kb.ZH)
EN.update(_kb.EN)

from hotline.web import i18n_complaints as _complaints  # noqa: E402  (投诉分析's words)

ZH.update(_complaints.ZH)
EN.update(_complaints.EN)

from hotline.web import i18n_crm as _crm  # noqa: E402  (the customer pages' words)

ZH.update(_crm.ZH)
EN.update(_crm.EN)

from hotline.web import i18n_accuracy as _accuracy  # noqa: E402  (受理工单正确率's words)

ZH.update(_accuracy.ZH)
EN.update(_accuracy.EN)

from hotline.web import i18n_reports as _reports  # noqa: E402  (报表、日报、月报's words)

ZH.update(_reports.ZH)
EN.update(_reports.EN)

from hotline.web import i18n_calls as _calls  # noqa: E402  (通话记录 and 录音's words)

ZH.update(_calls.ZH)
EN.update(_calls.EN)

from hotline.web import i18n_accounts as _accounts  # noqa: E402  (修改密码 and 用户管理's words)

ZH.update(_accounts.ZH)
EN.update(_accounts.EN)

from hotline.web import i18n_department as _department  # noqa: E402  (处理部门, 新建工单)

ZH.update(_department.ZH)
EN.update(_department.EN)

from hotline.web import i18n_softphone as _softphone  # noqa: E402  (软电话, 网页呼叫)

ZH.update(_softphone.ZH)
EN.update(_softphone.EN)

from hotline.web import i18n_supervise as _supervise  # noqa: E402  (班长席: 监听, 强插 …)

ZH.update(_supervise.ZH)
EN.update(_supervise.EN)

from hotline.features import features, resolve  # noqa: E402  (every feature's words)

for _feature in features():
    if _feature.words is not None:
        _words = resolve(_feature.words)
        ZH.update(_words.ZH)
        EN.update(_words.EN)
