"""The order-accuracy page's words (受理工单正确率), Chinese first."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "accuracy.nav": "工单正确率",
    "accuracy.title": "受理工单正确率",
    "accuracy.rate": "工单正确率",
    "accuracy.rate_sub": "{correct}/{orders} 张工单关键字段全部正确",
    "accuracy.query_rate": "查询类关键字段正确率",
    "accuracy.other_rate": "其他工单正确率",
    "accuracy.goal": "目标 ≥ {goal}",
    "accuracy.wrong_fields": "关键字段差错",
    "accuracy.field": "关键字段",
    "accuracy.count": "差错数",
    "accuracy.wrong_orders": "有差错的工单",
    "accuracy.col_order": "工单号",
    "accuracy.col_type": "类型",
    "accuracy.col_wrong": "差错",
    "accuracy.none_wrong": "没有差错工单",
    "accuracy.key.calling_number": "来电号码",
    "accuracy.key.call_time": "来电时间",
    "accuracy.key.category": "业务类别",
    "accuracy.key.name": "客户名称",
    "accuracy.key.content": "受理内容",
    "accuracy.rule": (
        "按 95598 规范：查询工单按关键字段（来电号码、时间、类别、名称、内容）计，"
        "目标 ≥95%；其他工单按张计，目标 ≥99%。"
    ),
}

EN: Final[dict[str, str]] = {
    "accuracy.nav": "Order accuracy",
    "accuracy.title": "Order accuracy",
    "accuracy.rate": "Order accuracy",
    "accuracy.rate_sub": "{correct}/{orders} orders with every key field right",
    "accuracy.query_rate": "Query orders, key fields right",
    "accuracy.other_rate": "Other orders right",
    "accuracy.goal": "goal ≥ {goal}",
    "accuracy.wrong_fields": "Wrong key fields",
    "accuracy.field": "Key field",
    "accuracy.count": "Wrong",
    "accuracy.wrong_orders": "Orders with a wrong field",
    "accuracy.col_order": "Order",
    "accuracy.col_type": "Type",
    "accuracy.col_wrong": "What is wrong",
    "accuracy.none_wrong": "No order with a wrong field",
    "accuracy.key.calling_number": "Calling number",
    "accuracy.key.call_time": "Call time",
    "accuracy.key.category": "Category",
    "accuracy.key.name": "Customer name",
    "accuracy.key.content": "Content",
    "accuracy.rule": (
        "As the 95598 rules count it: query orders by key field (calling number, time, "
        "category, name, content), goal ≥95%; other orders by order, goal ≥99%."
    ),
}
