"""Work orders (工单): types from configuration, the business calendar, the lifecycle
受理 → 交办 → 督办 → 跟进 → 回访 → 归档 with its deadlines, and return visits.

Pure domain code: it imports only `hotline.core`. Storage lives in
`hotline.store.db.orders`, the HTTP routes in `hotline.api.routers.orders`.
"""
