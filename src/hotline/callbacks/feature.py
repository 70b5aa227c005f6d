"""The callback tasks feature's declaration (what `hotline.features` wires in)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="callbacks",
    package="hotline.callbacks",
    router="hotline.callbacks.api:router",
    pages="hotline.callbacks.pages:router",
    templates="templates",
    static="static",
    words="hotline.callbacks.words",
    nav=(
        NavEntry(
            "callbacks",
            "/callbacks",
            "callbacks.nav",
            frozenset({"agent", "shift_lead", "supervisor"}),
        ),
    ),
    service="hotline.callbacks.store:build_service",
)
