"""我的工单 (my orders): an agent's own work — the orders they took and the return visits
they owe.

A console page only: the lists come from the order API, which already narrows an agent
to the orders they created (``GET /api/orders``) and to those orders' return visits
(``GET /api/orders/visits/due``), masked as an agent on their own order may see it.
`feature.py` declares the page, its template, script, words and the agent's menu entry.
"""
