"""The outbound feature's declaration (外呼: campaigns, pacing, SMS)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="outbound",
    package="hotline.outbound",
    events=("hotline.outbound.events",),
    tables=("hotline.outbound.store",),
    migrations="migrations",
    router="hotline.outbound.api:router",
    pages="hotline.outbound.pages:router",
    templates="templates",
    static="static",
    words="hotline.outbound.words",
    nav=(
        NavEntry("outbound", "/outbound", "outbound.nav", frozenset({"shift_lead", "supervisor"})),
    ),
    service="hotline.outbound.service:build_service",
    jobs="hotline.outbound.jobs:build_jobs",
    desk="desk_outbound.html",
)
