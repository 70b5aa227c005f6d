"""The call pages' words (通话记录, 录音), Chinese first."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "calls.nav": "通话记录",
    "calls.title": "通话记录",
    "calls.detail_title": "通话 {id}",
    "calls.back": "返回通话记录",
    "calls.col_call": "通话",
    "calls.arrived": "来电时间",
    "calls.caller": "来电号码",
    "calls.dialed": "被叫号码",
    "calls.queue": "队列",
    "calls.agent": "坐席",
    "calls.outcome": "结果",
    "calls.wait": "等待",
    "calls.talk": "通话时长",
    "calls.hold": "保持",
    "calls.disposition": "小结",
    "calls.note": "备注",
    "calls.tier": "客户等级",
    "calls.none": "暂无通话",
    "calls.not_found": "没有这通电话",
    "calls.recordings": "录音",
    "calls.recording_of": "录音 · 坐席 {agent} · {seconds}",
    "calls.no_recordings": "这通电话没有录音",
    "calls.recordings_hint": "左声道为来电客户，右声道为坐席；每次播放均记入审计日志。",
    "calls.recordings_forbidden": "无权收听这通电话的录音",
    "desk.answer_on_phone": "请在话机上接听",
}

EN: Final[dict[str, str]] = {
    "calls.nav": "Calls",
    "calls.title": "Calls",
    "calls.detail_title": "Call {id}",
    "calls.back": "Back to the calls",
    "calls.col_call": "Call",
    "calls.arrived": "Arrived",
    "calls.caller": "Caller",
    "calls.dialed": "Dialed",
    "calls.queue": "Queue",
    "calls.agent": "Agent",
    "calls.outcome": "Outcome",
    "calls.wait": "Wait",
    "calls.talk": "Talk",
    "calls.hold": "Hold",
    "calls.disposition": "Disposition",
    "calls.note": "Note",
    "calls.tier": "Tier",
    "calls.none": "No calls yet",
    "calls.not_found": "No such call",
    "calls.recordings": "Recordings",
    "calls.recording_of": "Recording · agent {agent} · {seconds}",
    "calls.no_recordings": "This call has no recordings",
    "calls.recordings_hint": (
        "Left channel the caller, right channel the agent; every playback is written to the "
        "audit log."
    ),
    "calls.recordings_forbidden": "You may not hear this call's recordings",
    "desk.answer_on_phone": "Pick up the phone",
}
