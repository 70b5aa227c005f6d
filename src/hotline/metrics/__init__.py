"""The management figures (管理指标): their catalogue, queries and tables, and the data
from outside the event log they need. Pure Python; the SQL is in `hotline.store.analytics`."""

from hotline.metrics.catalog import FIGURES, SEED_FIGURES, Figure, Target
from hotline.metrics.errors import MetricsError
from hotline.metrics.external import (
    Cost,
    ExternalData,
    MetricsConfig,
    OrderCheck,
    QaScore,
    Shift,
    StaffRecord,
    load_metrics_config,
)
from hotline.metrics.query import GROUPINGS, Grouping, Query, Row, SlVariant, Table

__all__ = [
    "FIGURES",
    "GROUPINGS",
    "SEED_FIGURES",
    "Cost",
    "ExternalData",
    "Figure",
    "Grouping",
    "MetricsConfig",
    "MetricsError",
    "OrderCheck",
    "QaScore",
    "Query",
    "Row",
    "Shift",
    "SlVariant",
    "StaffRecord",
    "Table",
    "Target",
    "load_metrics_config",
]
