"""The callback tasks page's words (回呼任务), Chinese first.

Kept apart from `hotline.web.i18n` like the other areas' words; `i18n` merges both dicts
into its catalogues.
"""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "callbacks.nav": "回呼任务",
    "callbacks.title": "回呼任务",
    "callbacks.note": (
        "客户接受回呼或排队放弃后由系统生成，须在期限内回电。"
        "外呼功能上线后可在此直接拨号；目前回电后请记录结果。"
    ),
    "callbacks.scope_agent": "显示您所服务队列的任务：{queues}",
    "callbacks.scope_all": "显示全部队列的任务",
    "callbacks.status.open": "待回呼",
    "callbacks.status.overdue": "已超时",
    "callbacks.status.closed": "已关闭",
    "callbacks.col_caller": "回呼号码",
    "callbacks.col_tier": "客户等级",
    "callbacks.col_reason": "来源",
    "callbacks.col_owner": "负责",
    "callbacks.col_created": "创建时间",
    "callbacks.col_due": "回呼期限",
    "callbacks.col_status": "状态",
    "callbacks.col_outcome": "结果",
    "callbacks.col_action": "记录结果",
    "callbacks.owner_queue": "{queue} 坐席",
    "callbacks.owner_any": "任意坐席",
    "callbacks.reason.abandoned": "排队放弃",
    "callbacks.reason.accepted_offer": "接受回呼",
    "callbacks.reason.callback": "IVR 预约回呼",
    "callbacks.reason.voicemail": "语音留言",
    "callbacks.message_seconds": "留言 {seconds} 秒",
    "callbacks.message_simulated": "模拟来电的留言（无录音）",
    "callbacks.message_no_audio": "未保存录音",
    "callbacks.outcome.reached": "客户已来电接通",
    "callbacks.outcome.done": "已回电",
    "callbacks.outcome.no_answer": "无人接听",
    "callbacks.outcome.wrong_number": "号码错误",
    "callbacks.outcome.cancelled": "客户取消",
    "callbacks.outcome.expired": "已过期",
    "callbacks.by": "{who} · {at}",
    "callbacks.left": "剩余 {time}",
    "callbacks.late": "超时 {time}",
    "callbacks.record": "记录",
    "callbacks.recorded": "回呼任务 {id}：{outcome}",
    "callbacks.empty.open": "没有待回呼的任务",
    "callbacks.empty.overdue": "没有超时的回呼任务",
    "callbacks.empty.closed": "没有已关闭的回呼任务",
}

EN: Final[dict[str, str]] = {
    "callbacks.nav": "Callbacks",
    "callbacks.title": "Callback tasks",
    "callbacks.note": (
        "Created when a caller accepts a callback or gives up in queue; call back before "
        "the due time. Dialling from here comes with outbound; for now record the outcome "
        "after calling."
    ),
    "callbacks.scope_agent": "Tasks of the queues you serve: {queues}",
    "callbacks.scope_all": "Tasks of every queue",
    "callbacks.status.open": "Open",
    "callbacks.status.overdue": "Overdue",
    "callbacks.status.closed": "Closed",
    "callbacks.col_caller": "Number",
    "callbacks.col_tier": "Tier",
    "callbacks.col_reason": "Source",
    "callbacks.col_owner": "Owner",
    "callbacks.col_created": "Created",
    "callbacks.col_due": "Due",
    "callbacks.col_status": "Status",
    "callbacks.col_outcome": "Outcome",
    "callbacks.col_action": "Record outcome",
    "callbacks.owner_queue": "{queue} agents",
    "callbacks.owner_any": "Any agent",
    "callbacks.reason.abandoned": "Gave up in queue",
    "callbacks.reason.accepted_offer": "Accepted a callback",
    "callbacks.reason.callback": "IVR callback",
    "callbacks.reason.voicemail": "Voicemail",
    "callbacks.message_seconds": "message {seconds} s",
    "callbacks.message_simulated": "a simulated caller's message (no audio)",
    "callbacks.message_no_audio": "no audio kept",
    "callbacks.outcome.reached": "Caller got through",
    "callbacks.outcome.done": "Called back",
    "callbacks.outcome.no_answer": "No answer",
    "callbacks.outcome.wrong_number": "Wrong number",
    "callbacks.outcome.cancelled": "Cancelled by customer",
    "callbacks.outcome.expired": "Expired",
    "callbacks.by": "{who} · {at}",
    "callbacks.left": "{time} left",
    "callbacks.late": "{time} late",
    "callbacks.record": "Record",
    "callbacks.recorded": "Callback task {id}: {outcome}",
    "callbacks.empty.open": "No open callback tasks",
    "callbacks.empty.overdue": "No overdue callback tasks",
    "callbacks.empty.closed": "No closed callback tasks",
}
