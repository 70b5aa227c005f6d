"""The quality feature's declaration (录音质检: forms, evaluations, disputes)."""

from hotline.features import Feature

FEATURE = Feature(
    name="qa",
    package="hotline.quality",
    events=("hotline.quality.events",),
    tables=("hotline.quality.store",),
    migrations="migrations",
    router="hotline.quality.api:router",
    service="hotline.quality.service:build_service",
)
