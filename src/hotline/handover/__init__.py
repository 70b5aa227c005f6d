"""交接班 (shift handover): the shift lead's handover sheet and the agents' shift summaries.

A feature in its own folder (see `hotline.features`): `sheet.py` the domain (the
sheet, its snapshot, its events), `service.py` the application service, `store.py`
its tables and repository, `migrations/` its Alembic branch, `api.py` its routes,
`pages.py`, `templates/` and `static/` its console page, `words.py` its words, and
`feature.py` the declaration that wires all of it in.
"""
