"""The incentives feature's declaration (激励积分: points, the monthly leaderboard, awards)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="incentives",
    package="hotline.incentives",
    events=("hotline.incentives.events",),
    tables=("hotline.incentives.store",),
    migrations="migrations",
    router="hotline.incentives.api:router",
    pages="hotline.incentives.pages:router",
    templates="templates",
    static="static",
    words="hotline.incentives.words",
    nav=(
        NavEntry(
            "points",
            "/points",
            "incentives.nav",
            frozenset({"agent", "shift_lead", "supervisor", "qa", "admin"}),
        ),
    ),
    service="hotline.incentives.service:build_service",
)
