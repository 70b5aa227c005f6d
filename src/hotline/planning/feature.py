"""The planning feature's declaration (排班: forecast, staffing, schedules, adherence)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="wfm",
    package="hotline.planning",
    events=("hotline.planning.events",),
    tables=("hotline.planning.store",),
    migrations="migrations",
    router="hotline.planning.api:router",
    pages="hotline.planning.pages:router",
    templates="templates",
    static="static",
    words="hotline.planning.words",
    nav=(
        NavEntry(
            "planning",
            "/planning",
            "wfm.nav",
            frozenset({"planner", "supervisor", "shift_lead", "qa", "admin"}),
        ),
        NavEntry("my_schedule", "/my-schedule", "wfm.nav_mine", frozenset({"agent"})),
    ),
    service="hotline.planning.service:build_service",
    commands="hotline.planning.commands:add_commands",
    jobs="hotline.planning.jobs:build_jobs",
)
