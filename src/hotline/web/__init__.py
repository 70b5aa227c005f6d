"""The web console: server-rendered pages (desk, wallboard, administration) and their files.

The app factory includes `hotline.web.pages.router` and calls `mount_static(app)`; this
module imports nothing of the API, so including the pages cannot form an import cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.staticfiles import StaticFiles

PACKAGE_DIR: Final = Path(__file__).resolve().parent
STATIC_DIR: Final = PACKAGE_DIR / "static"
TEMPLATE_DIR: Final = PACKAGE_DIR / "templates"


def mount_static(app: Starlette) -> None:
    """Serve the console's CSS, scripts and vendored ECharts under ``/static``, and each
    feature's files under ``/static/<feature>`` (`hotline.features`)."""
    from hotline.features import features

    for feature in features():
        if feature.static_folder is not None:
            app.mount(
                f"/static/{feature.name}",
                StaticFiles(directory=feature.static_folder),
                name=f"static-{feature.name}",
            )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")


def echarts_vendored() -> bool:
    """Whether ``scripts/vendor-js.sh`` has put ECharts in place (the chart needs it)."""
    return (STATIC_DIR / "vendor" / "echarts.min.js").is_file()
