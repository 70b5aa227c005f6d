"""`hotline demo`: the example hotline live in one process, with the web console.

One process serves everything: the engine on the demo clock (a day compressed
to minutes), the SQLite database, the API and the console pages. The first
start creates the database, the demo users and the configuration documents.

The demo's users share one well-known password, printed at start: right for a
demonstration on this machine (the default, 127.0.0.1), wrong for anyone else's.
Served on another address, the demo users created then must change the password
at their first log-in. ``--tls`` serves HTTPS with a self-signed certificate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import threading
from pathlib import Path

from hotline.core.errors import HotlineError
from hotline.live import DemoSettings, LiveHotline
from hotline.webserver import Listen, uvicorn_config

DEMO_PASSWORD = "demo123"
DEMO_USERS = (
    ("admin", "admin", None, "系统管理员"),
    ("supervisor", "supervisor", None, "主管"),
    ("lead", "shift_lead", None, "值班长"),
    ("qa", "qa", None, "质检员"),
    ("zhijian2", "qa", None, "质检员二（模拟）"),
    ("planner", "planner", None, "排班员"),
)
DEMO_DEPARTMENT_USERS = {
    "repair": "qiangxiu",
    "billing": "dianfei",
    "marketing": "yingxiao",
    "expert": "zhuanjia",
    "discipline": "jijian",
    "dispatch": "diaodu",
}
"""The demo's 处理部门 users, one per department of orders.yaml (key → username; a
department not named here logs in under its key)."""


def loopback(host: str) -> bool:
    """Whether `host` is reached from this machine only (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def seed(runtime: LiveHotline, *, must_change: bool = False) -> list[tuple[str, str]]:
    """Create the demo users and store the hotline's files once; the logins to print.

    With `must_change`, users created now must replace the demo password at their first
    log-in (the demo is served beyond this machine)."""
    from hotline.api.users import create_user
    from hotline.store.db import ConfigDocuments, Customers
    from hotline.store.db.crm import import_file
    from hotline.store.db.kb import seed_knowledge_base

    users = runtime.services.users
    logins = []
    wanted: list[tuple[str, str, str | None, str]] = list(DEMO_USERS)
    wanted += [(s.id, "agent", s.id, s.name) for s in runtime.seats]
    for username, role, agent_id, name in wanted:
        if users.get(username) is None:
            create_user(
                users,
                username,
                DEMO_PASSWORD,
                role,
                agent_id=agent_id,
                display_name=name,
                must_change_password=must_change,
                by="demo",
            )
        logins.append((username, role))
    departments = runtime.orders.config.departments if runtime.orders is not None else {}
    for key, title in departments.items():
        username = DEMO_DEPARTMENT_USERS.get(key, key)
        if users.get(username) is None:
            create_user(
                users,
                username,
                DEMO_PASSWORD,
                "department",
                display_name=title,
                department=key,
                must_change_password=must_change,
                by="demo",
            )
        logins.append((username, "department"))
    customers = runtime.hotline.path.parent / "customers.csv"
    if customers.is_file() and not Customers(runtime.db).list(limit=1):
        import_file(runtime.db, customers, runtime.crm_config, by="demo")
    known = [c.phone for c in Customers(runtime.db).list(limit=10_000) if c.phone]
    if runtime.sim is not None:
        runtime.sim.population.add_known_callers(known, share=0.2)  # a fifth of the callers
    articles = runtime.site.config.kb_folder
    if articles is not None:
        seed_knowledge_base(runtime.db, articles)  # only while the knowledge base is empty
    documents = ConfigDocuments(runtime.db)
    root = runtime.hotline.path.parent
    files = [runtime.hotline.path, *sorted((root / runtime.hotline.model.ivr.flows).glob("*.yaml"))]
    for file in files:
        name = file.relative_to(root).as_posix()
        if documents.get(name) is None:
            documents.put(name, file.read_text(encoding="utf-8"), "demo")
    return logins


def plan_in_background(runtime: LiveHotline) -> threading.Thread | None:
    """The demo's week plan (排班), made and published off the start-up path: forecasting
    and solving take some seconds, the console is served meanwhile."""
    from hotline.planning.service import PlanningDesk, seed_demo

    desk = runtime.services.feature("wfm", PlanningDesk)
    if desk is None:
        return None
    at = runtime.now()

    def work() -> None:
        try:
            seed_demo(desk, at=at)
        except HotlineError as refused:  # the demo runs on without a plan, and says why
            logging.getLogger(__name__).warning("demo plan not made: %s", refused)
        except Exception:  # a bug: the demo runs on, the traceback goes to the log
            logging.getLogger(__name__).exception("demo plan failed")

    thread = threading.Thread(target=work, name="hotline-demo-plan", daemon=True)
    thread.start()
    return thread


async def serve(settings: DemoSettings, listen: Listen, *, plan: bool = True) -> None:
    import uvicorn

    from hotline.app import build_app, check_port

    listen.check()
    check_port(
        listen.host,
        listen.port,
        what="cannot serve on",
        hint="another hotline demo? choose another port with --port",
    )
    runtime = LiveHotline.demo(settings)
    public = not loopback(listen.host)
    logins = seed(runtime, must_change=public)
    if plan:
        plan_in_background(runtime)
    app = build_app(runtime)  # its lifespan starts the runtime on uvicorn's loop, and stops it
    server = uvicorn.Server(uvicorn_config(app, listen))
    print(f"Hotline demo: {listen.url}", flush=True)
    print(f"  {runtime.hotline.name} — 演示时钟 {settings.speed:g}× (坐席通话时 1×)")
    print(f"  数据库 database: {runtime.db.display_url}")
    print(f"  登录 logins (密码 password {DEMO_PASSWORD}):")
    for username, role in logins:
        print(f"    {username:<12} {role}")
    if public:
        print(
            f"  注意 note: served on {listen.host}, beyond this machine — new demo users must "
            "change the demo password at their first log-in"
        )
    print("  Ctrl-C 停止 to stop", flush=True)
    await server.serve()


def run(
    *,
    db: Path,
    database_url: str | None,
    listen: Listen,
    speed: float,
    scenario: Path | None,
    start: str,
    seed_value: int | None,
    plan: bool = True,
) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = DemoSettings(
        db_url=f"sqlite:///{db}",
        speed=speed,
        start_time=start,
        seed=seed_value,
        backoffice=True,  # simulated agents' orders, departments, visits, recordings
        recordings=db.resolve().with_name(f"{db.name}.recordings"),  # beside the database
    )
    if scenario is not None:
        settings = dataclasses.replace(settings, scenario=scenario)
    asyncio.run(serve(settings, listen, plan=plan))
    return 0
