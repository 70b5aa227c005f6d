"""我的工单's words, Chinese first (merged into the console's catalogues by `i18n`)."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "mywork.nav": "我的工单",
    "mywork.title": "我的工单",
    "mywork.orders": "我受理的工单",
    "mywork.visits": "待我回访",
    "mywork.show.open": "未办结",
    "mywork.show.overdue": "已超时",
    "mywork.show.all": "全部",
    "mywork.col_next": "最近时限",
    "mywork.next": "{label}：{due}（{rel}）",
    "mywork.left": "剩余 {time}",
    "mywork.late": "超时 {time}",
    "mywork.empty.open": "没有未办结的工单",
    "mywork.empty.overdue": "没有超时的工单",
    "mywork.empty.all": "您还没有受理过工单",
    "mywork.visits_empty": "没有待您回访的工单",
    "mywork.visit_go": "去回访",
    "mywork.count": "共 {n} 张",
}

EN: Final[dict[str, str]] = {
    "mywork.nav": "My orders",
    "mywork.title": "My orders",
    "mywork.orders": "Orders I took",
    "mywork.visits": "Return visits I owe",
    "mywork.show.open": "Open",
    "mywork.show.overdue": "Overdue",
    "mywork.show.all": "All",
    "mywork.col_next": "Next deadline",
    "mywork.next": "{label}: {due} ({rel})",
    "mywork.left": "{time} left",
    "mywork.late": "{time} late",
    "mywork.empty.open": "No open orders",
    "mywork.empty.overdue": "No overdue orders",
    "mywork.empty.all": "You have not taken any order yet",
    "mywork.visits_empty": "No return visits due on your orders",
    "mywork.visit_go": "Make the visit",
    "mywork.count": "{n} orders",
}
