"""The order-quality page's words (工单质量: 受理工单正确率), Chinese first."""

from __future__ import annotations

from typing import Final

ZH: Final[dict[str, str]] = {
    "quality.nav": "工单质量",
    "quality.title": "受理工单正确率",
    "quality.rate": "工单正确率",
    "quality.rate_sub": "{correct}/{orders} 张工单关键字段全部正确",
    "quality.query_rate": "查询类关键字段正确率",
    "quality.other_rate": "其他工单正确率",
    "quality.goal": "目标 ≥ {goal}",
    "quality.wrong_fields": "关键字段差错",
    "quality.field": "关键字段",
    "quality.count": "差错数",
    "quality.wrong_orders": "有差错的工单",
    "quality.col_order": "工单号",
    "quality.col_type": "类型",
    "quality.col_wrong": "差错",
    "quality.none_wrong": "没有差错工单",
    "quality.key.calling_number": "来电号码",
    "quality.key.call_time": "来电时间",
    "quality.key.category": "业务类别",
    "quality.key.name": "客户名称",
    "quality.key.content": "受理内容",
    "quality.rule": (
        "按 95598 规范：查询工单按关键字段（来电号码、时间、类别、名称、内容）计，"
        "目标 ≥95%；其他工单按张计，目标 ≥99%。"
    ),
}

EN: Final[dict[str, str]] = {
    "quality.nav": "Order quality",
    "quality.title": "Order accuracy",
    "quality.rate": "Order accuracy",
    "quality.rate_sub": "{correct}/{orders} orders with every key field right",
    "quality.query_rate": "Query orders, key fields right",
    "quality.other_rate": "Other orders right",
    "quality.goal": "goal ≥ {goal}",
    "quality.wrong_fields": "Wrong key fields",
    "quality.field": "Key field",
    "quality.count": "Wrong",
    "quality.wrong_orders": "Orders with a wrong field",
    "quality.col_order": "Order",
    "quality.col_type": "Type",
    "quality.col_wrong": "What is wrong",
    "quality.none_wrong": "No order with a wrong field",
    "quality.key.calling_number": "Calling number",
    "quality.key.call_time": "Call time",
    "quality.key.category": "Category",
    "quality.key.name": "Customer name",
    "quality.key.content": "Content",
    "quality.rule": (
        "As the 95598 rules count it: query orders by key field (calling number, time, "
        "category, name, content), goal ≥95%; other orders by order, goal ≥99%."
    ),
}
