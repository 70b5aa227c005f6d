"""The handover feature's declaration (what `hotline.features` wires in)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="handover",
    package="hotline.handover",
    events=("hotline.handover.sheet",),
    tables=("hotline.handover.store",),
    migrations="migrations",
    router="hotline.handover.api:router",
    pages="hotline.handover.pages:router",
    templates="templates",
    static="static",
    words="hotline.handover.words",
    nav=(
        NavEntry(
            "handover",
            "/handover",
            "handover.nav",
            frozenset({"agent", "shift_lead", "supervisor", "qa"}),
        ),
    ),
    service="hotline.handover.figures:build_service",
)
