"""The site: one hotline's configuration, read from its folder once, reloadable.

A site is the folder of ``hotline.yaml``: beside it ``ivr/`` (the flows, read by
`load_hotline`), ``orders.yaml`` (work orders), ``crm.yaml`` (tier scoring and
hints), ``metrics.yaml`` (figures' data from outside the log) and ``kb/`` (the
knowledge base's seed articles). `SiteConfig.load` reads and checks every file
that is there, all or nothing; `Site` holds the current one and `Site.reload`
swaps in a newly read one only when every file is good. Nothing else in Hotline
reads these files: the composition root (`hotline.live.build`) hands each part
what it needs from here.
"""

from hotline.site.config import (
    CRM_FILE,
    KB_FOLDER,
    METRICS_FILE,
    ORDERS_FILE,
    Site,
    SiteConfig,
)

__all__ = ["CRM_FILE", "KB_FOLDER", "METRICS_FILE", "ORDERS_FILE", "Site", "SiteConfig"]
