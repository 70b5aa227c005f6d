"""The quality feature's declaration (录音质检: forms, evaluations, disputes)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="qa",
    package="hotline.quality",
    events=("hotline.quality.events",),
    tables=("hotline.quality.store",),
    migrations="migrations",
    router="hotline.quality.api:router",
    pages="hotline.quality.pages:router",
    templates="templates",
    static="static",
    words="hotline.quality.words",
    nav=(
        NavEntry("qa", "/qa", "qa.nav", frozenset({"qa", "shift_lead", "supervisor", "admin"})),
        NavEntry("my_evaluations", "/my-evaluations", "qa.nav_mine", frozenset({"agent"})),
    ),
    service="hotline.quality.service:build_service",
    jobs="hotline.quality.jobs:build_jobs",
)
