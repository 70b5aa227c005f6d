"""The wallboard's supervisor telephony words (班长席: 监听 … 拦截) and the desk's outside
party (外线咨询, 三方通话, 转外线), Chinese first."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "supervise.title": "班长席",
    "supervise.hint": "监听、耳语、强插、拦截会先呼叫您的话机，接听后生效",
    "supervise.softphone_hint": "班长席软电话：监听、耳语、强插、拦截时在此接听（也可用话机）",
    "supervise.listen": "监听",
    "supervise.whisper": "耳语",
    "supervise.barge": "强插",
    "supervise.release": "强拆",
    "supervise.intercept": "拦截",
    "supervise.end": "结束",
    "supervise.no_call": "该坐席当前没有通话",
    "supervise.confirm_release": "确定强拆坐席 {agent} 的通话？来电人将被挂断。",
    "supervise.mode.listen": "监听中",
    "supervise.mode.whisper": "耳语中",
    "supervise.mode.barge": "强插中",
    "supervise.state.ringing": "正在呼叫您的话机（{mode}）",
    "supervise.state.on": "{mode}（{by}）",
    "supervise.state.taken_over": "已拦截（{by}）",
    "supervise.released": "已强拆",
    "outside.number": "外线号码",
    "outside.dial": "外线咨询",
    "outside.dial_title": "来电人听等待音乐，您先与外线通话（如部门值班电话）",
    "outside.conference": "三方通话",
    "outside.transfer": "完成转接",
    "outside.cancel": "取消外线",
    "outside.state.dialing": "正在呼叫外线 {number}…（来电人听等待音乐）",
    "outside.state.talking": "正在与外线 {number} 通话（来电人保持中）",
    "outside.state.conference": "三方通话中：来电人、您与外线 {number}",
}

EN: Final[dict[str, str]] = {
    "supervise.title": "Supervisor phone",
    "supervise.hint": (
        "Listen, whisper, barge and intercept ring your phone first and act once you answer"
    ),
    "supervise.softphone_hint": (
        "Supervisor softphone: answer here to listen, whisper, barge or intercept (or on the phone)"
    ),
    "supervise.listen": "Listen",
    "supervise.whisper": "Whisper",
    "supervise.barge": "Barge",
    "supervise.release": "Force release",
    "supervise.intercept": "Intercept",
    "supervise.end": "Leave",
    "supervise.no_call": "This agent has no call now",
    "supervise.confirm_release": "End agent {agent}'s call? The caller will be hung up.",
    "supervise.mode.listen": "Listening",
    "supervise.mode.whisper": "Whispering",
    "supervise.mode.barge": "Barged in",
    "supervise.state.ringing": "Ringing your phone ({mode})",
    "supervise.state.on": "{mode} ({by})",
    "supervise.state.taken_over": "Intercepted ({by})",
    "supervise.released": "Released",
    "outside.number": "Outside number",
    "outside.dial": "Call outside",
    "outside.dial_title": "The caller hears music while you talk with the outside number first",
    "outside.conference": "Three-way call",
    "outside.transfer": "Complete transfer",
    "outside.cancel": "Hang up outside",
    "outside.state.dialing": "Calling {number}… (the caller hears music)",
    "outside.state.talking": "Talking with {number} (the caller is on hold)",
    "outside.state.conference": "Three-way call: the caller, you and {number}",
}
