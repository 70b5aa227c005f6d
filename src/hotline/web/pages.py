"""The console's HTML pages: login, agent desk, wallboard and administration.

Pages are server-rendered shells (labels, buttons, configuration tables) in the viewer's
language; the live parts (agent state, the call, the wallboard's figures) are filled in by
the page scripts from the REST API and the ``/api/stream`` WebSocket, so every number a
browser shows went through the API's role checks and masking. A page asked for without a
session redirects to ``/login``; a role that may not see a page gets a 403 page that links
to the user's own home page (and an ``access.denied`` audit row). A user who must change their
password first is sent to ``/password`` from every page (`ChangePasswordFirstError`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from hotline.api.auditing import DENIED
from hotline.api.deps import authenticate, client_of, get_runtime
from hotline.api.errors import NotAuthenticatedError, PasswordChangeRequiredError, http_error
from hotline.api.passwords import MAX_LENGTH, MIN_LENGTH
from hotline.api.roles import COMMANDERS, WATCHERS, Role
from hotline.api.users import User
from hotline.calls.config import HotlineModel
from hotline.features import features
from hotline.routing.model import AGENT_REASONS
from hotline.web import TEMPLATE_DIR
from hotline.web.admin import admin_tables
from hotline.web.i18n import LANG_COOKIE, catalogue, pick_language, translate
from hotline.web.numbers import format_count, format_duration, format_percent

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(
    directory=[TEMPLATE_DIR, *(f.templates_folder for f in features() if f.templates_folder)]
)
templates.env.filters.update(count=format_count, percent=format_percent, duration=format_duration)

DESK_ROLES = frozenset({Role.AGENT})
BOARD_ROLES = WATCHERS
ADMIN_ROLES = frozenset({Role.ADMIN})
SPEED_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})  # who may change the demo clock's speed

# The reasons an agent may pick, in the order the desk lists them (示忙 first).
REASON_ORDER = ("busy", "break", "meal", "training", "meeting")


@dataclass(frozen=True, slots=True)
class NavItem:
    page: str
    href: str
    label: str


def home_of(user: User) -> str:
    """Where a user lands after logging in: agents at their desk, a department (处理部门) at
    its orders, a planner (排班员) at planning, everyone else the wallboard."""
    if user.role is Role.DEPARTMENT:
        return "/orders/department"
    if user.role is Role.PLANNER:
        return "/planning"
    return "/desk" if user.role is Role.AGENT else "/board"


def nav_for(user: User) -> list[NavItem]:
    items: list[NavItem] = []
    if user.role in DESK_ROLES:
        items.append(NavItem("desk", "/desk", "nav.desk"))
    if user.role in BOARD_ROLES:
        items.append(NavItem("board", "/board", "nav.board"))
    if user.role in ADMIN_ROLES:
        items.append(NavItem("admin", "/admin", "nav.admin"))
    return items


def feature_nav(user: User) -> list[NavItem]:
    """The features' menu entries this user's role sees (`hotline.features`)."""
    return [
        NavItem(entry.page, entry.href, entry.label)
        for feature in features()
        for entry in feature.nav
        if not entry.roles or user.role.value in entry.roles
    ]


def agent_reasons() -> list[str]:
    """The not-ready reasons agents may choose themselves (`routing.model.AGENT_REASONS`)."""
    allowed = {reason.value for reason in AGENT_REASONS}
    ordered = [reason for reason in REASON_ORDER if reason in allowed]
    return ordered + sorted(allowed - set(ordered))


class ChangePasswordFirstError(Exception):
    """Raised by `viewer` for a user who must change their password: the page answers with a
    redirect to ``/password`` (`install`)."""


async def viewer(request: Request, *, pending: bool = False) -> User | None:
    """The signed-in user, or None; raises `ChangePasswordFirstError` for a user who must change
    their password (unless `pending`: the page where they do)."""
    try:
        user, _ = await authenticate(request, pending=pending)
    except NotAuthenticatedError:
        return None
    except PasswordChangeRequiredError:
        raise ChangePasswordFirstError from None
    return user


async def _to_password(_: Request, __: Exception) -> Response:
    return RedirectResponse("/password", status_code=303)


async def _not_found(request: Request, exc: Exception) -> Response:
    """An unknown page is a console page in the user's language (the API keeps its JSON)."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code != 404 or request.method != "GET" or request.url.path.startswith("/api/"):
        return await http_error(request, exc)
    try:
        user = await viewer(request)
    except ChangePasswordFirstError:
        user = None
    home = home_of(user) if user is not None else "/login"
    path = request.url.path[:200]
    return render(
        request, "not_found.html", "not_found", user, status_code=404, home=home, request_path=path
    )


def install(app: FastAPI) -> None:
    """Send a page request of a user who must change their password to ``/password``, and
    answer an unknown page with the console's 404 page."""
    app.add_exception_handler(ChangePasswordFirstError, _to_password)
    app.add_exception_handler(StarletteHTTPException, _not_found)


def render(
    request: Request,
    template: str,
    page: str,
    user: User | None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    query_lang = request.query_params.get("lang")
    lang = pick_language(query_lang, request.cookies.get(LANG_COOKIE))

    def t(key: str, **params: object) -> str:
        return translate(lang, key, **params)

    response = templates.TemplateResponse(
        request,
        template,
        {
            "t": t,
            "lang": lang,
            "page": page,
            "user": user,
            "nav": nav_for(user) if user else [],
            "feature_nav": feature_nav(user) if user else [],
            "catalogue": configured_words(_hotline_model(request)) | catalogue(lang),
            "timezone": _hotline_model(request).timezone,
            "hotline_name": _hotline_model(request).name,
            "csp_nonce": getattr(request.state, "csp_nonce", ""),
            **context,
        },
        status_code=status_code,
    )
    if query_lang == lang and request.cookies.get(LANG_COOKIE) != lang:
        # The switch in the top bar is a plain link (?lang=en); the cookie keeps the choice.
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def configured_words(model: HotlineModel) -> dict[str, str]:
    """The names hotline.yaml gives its queues, skills and dispositions, as words
    (``queue.fault`` → 故障报修) for the page scripts' `Console.term`; a word list's own
    translation of the same key wins over them."""
    words = {f"queue.{name}": queue.title or name for name, queue in model.queues.items()}
    words |= {f"skill.{name}": skill.title or name for name, skill in model.skills.items()}
    words |= {f"disposition.{code}": title for code, title in model.desk.dispositions.items()}
    return words


def _hotline_model(request: Request) -> HotlineModel:
    model: HotlineModel = get_runtime(request).hotline.model
    return model


def to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


def forbidden(request: Request, user: User, page: str) -> Response:
    """The 403 page; the refusal is written to the audit log once the page is sent."""
    response = render(request, "forbidden.html", page, user, status_code=403, home=home_of(user))
    response.background = BackgroundTask(
        get_runtime(request).services.audit.record,
        username=user.username,
        role=user.role.value,
        action=DENIED,
        subject_type="page",
        subject_id=request.url.path[:128],
        detail={"error": "forbidden", "page": page},
        client=client_of(request),
    )
    return response


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    return RedirectResponse(home_of(user), status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    return render(request, "login.html", "login", None)


@router.get("/password", response_class=HTMLResponse)
async def password(request: Request) -> Response:
    """修改密码: for everyone signed in, and the only page of a user who must change it."""
    user = await viewer(request, pending=True)
    if user is None:
        return to_login()
    return render(
        request,
        "password.html",
        "password",
        user,
        must_change=user.must_change_password,
        home=home_of(user),
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
    )


@router.get("/desk", response_class=HTMLResponse)
async def desk(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in DESK_ROLES or not user.agent_id:
        return forbidden(request, user, "desk")
    runtime = get_runtime(request)
    queues = [
        {"name": spec.name, "title": spec.title or spec.name} for spec in runtime.hotline.queues
    ]
    return render(
        request,
        "desk.html",
        "desk",
        user,
        agent_id=user.agent_id,
        reasons=agent_reasons(),
        queues=queues,
        desk_panels=[f.desk for f in features() if f.desk],
    )


@router.get("/board", response_class=HTMLResponse)
async def board(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in BOARD_ROLES:
        return forbidden(request, user, "board")
    runtime = get_runtime(request)
    # The first paint comes from the same snapshot the stream sends (no customer data in it);
    # the page script replaces it with every later snapshot.
    snapshot = runtime.board()
    return render(
        request,
        "board.html",
        "board",
        user,
        can_set_speed=user.role in SPEED_ROLES,
        can_force=user.role in COMMANDERS,
        speeds=(1, 10, 60),
        speed=snapshot.speed,
        queues=snapshot.queues,
        totals=snapshot.totals,
        figures_at=snapshot.figures_at,
        window_s=snapshot.window_s,
        agents=snapshot.agents,
        alerts=snapshot.alerts,
    )


@router.get("/admin", response_class=HTMLResponse)
async def admin(request: Request) -> Response:
    user = await viewer(request)
    if user is None:
        return to_login()
    if user.role not in ADMIN_ROLES:
        return forbidden(request, user, "admin")
    runtime = get_runtime(request)
    roster = [agent.profile for agent in runtime.acd.agents.values()]
    tables = admin_tables(runtime.hotline, roster, runtime.human_seats)
    roles = [role.value for role in Role]
    return render(request, "admin.html", "admin", user, roles=roles, **tables)
