"""The 我的工单 feature's declaration (what `hotline.features` wires in)."""

from hotline.features import Feature, NavEntry

FEATURE = Feature(
    name="mywork",
    package="hotline.mywork",
    pages="hotline.mywork.pages:router",
    templates="templates",
    static="static",
    words="hotline.mywork.words",
    nav=(NavEntry("my-orders", "/my-orders", "mywork.nav", frozenset({"agent"})),),
)
