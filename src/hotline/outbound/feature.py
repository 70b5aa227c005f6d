"""The outbound feature's declaration (外呼: campaigns, pacing, SMS)."""

from hotline.features import Feature

FEATURE = Feature(
    name="outbound",
    package="hotline.outbound",
    events=("hotline.outbound.events",),
    tables=("hotline.outbound.store",),
    migrations="migrations",
    service="hotline.outbound.service:build_service",
    jobs="hotline.outbound.jobs:build_jobs",
)
