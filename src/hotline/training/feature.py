"""The training feature's declaration (培训与考核: stages, exams, tasks, KBI checklists)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="training",
    package="hotline.training",
    events=("hotline.training.events",),
    tables=("hotline.training.store",),
    migrations="migrations",
    router="hotline.training.api:router",
    pages="hotline.training.pages:router",
    templates="templates",
    static="static",
    words="hotline.training.words",
    nav=(
        NavEntry(
            "training",
            "/training",
            "training.nav",
            frozenset({"shift_lead", "supervisor", "qa"}),
        ),
        NavEntry("my_training", "/my-training", "training.nav_mine", frozenset({"agent"})),
    ),
    service="hotline.training.service:build_service",
    jobs="hotline.training.jobs:build_jobs",
)
