"""回呼任务 (callback tasks): the callers the engine promised to call back, and their outcome.

The ACD's `CallbackList` creates a task when a middle-tier caller abandons in queue, or
a caller accepts a callback offer (IVR or the queue's maximum wait) or leaves a voicemail.
This feature lists them for the people who call back — the agents of the task's queue,
the shift lead, the supervisor — with their due time and status, and lets an agent or the
lead record the outcome (已回电, 无人接听, 号码错误, 客户取消), which closes the task
through the engine (`CallbackList.close`). Dialling the caller comes with outbound.

A feature in its own folder (see `hotline.features`): `tasks.py` the domain (a task as
the log tells it, folded from the events), `service.py` the application service over
the `CallbackSource` port, `store.py` the event log's adapter, `api.py` its routes,
`pages.py`, `templates/` and `static/` its console page, `words.py` its words, and
`feature.py` the declaration. It has no table: the event log is the truth.
"""
