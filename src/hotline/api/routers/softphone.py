"""The browser softphone's SIP credential (浏览器软电话): issued to the console session.

``POST /api/desk/softphone`` gives the signed-in user with an extension (an agent's
工号; a supervisor's or shift lead's 工号, else their username: the wallboard's 班长席
phone) a SIP credential for that extension, valid as long as the session
(`hotline.live.softphones`): the page's softphone (static/js/softphone.js) registers
with it over Kamailio's websocket. Issuing again replaces the session's earlier
credential; ``DELETE`` and the session's logout revoke it. Each issue is written to the
audit log (``desk.softphone``, the password never). 409 ``webrtc-off`` when the hotline
has no WebRTC (the demo, or `hotline serve` without a websocket port, rtpengine or
Kamailio's websocket module).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from hotline.api.auditing import audit
from hotline.api.deps import CurrentSession, CurrentUser, Runtime
from hotline.api.errors import ConflictError, ForbiddenError
from hotline.api.responses import errors
from hotline.api.roles import Role
from hotline.api.schemas import Ok
from hotline.live.supervise import extension_of

router = APIRouter(prefix="/api/desk", tags=["desk"])


SUPERVISING = frozenset({Role.SHIFT_LEAD, Role.SUPERVISOR})
"""Roles whose extension is their 工号, else their username (their 班长席 phone)."""


class WebrtcOffError(ConflictError):
    error_id = "webrtc-off"


class SoftphoneOut(BaseModel):
    """What a browser needs to register: where, as whom, until when."""

    model_config = ConfigDict(extra="forbid")
    ws_url: str
    sip_uri: str
    authorization_user: str
    password: str
    realm: str
    display_name: str
    expires_at: float


@router.post("/softphone", response_model=SoftphoneOut, responses=errors(401, 403, 409))
async def issue_softphone(
    request: Request, user: CurrentUser, session: CurrentSession, runtime: Runtime
) -> SoftphoneOut:
    """A SIP credential for the browser softphone of the signed-in user's extension, for
    this session only (the desk phone's own password keeps working)."""
    softphones = runtime.softphones
    if softphones is None or softphones.edge is None:
        raise WebrtcOffError(
            "浏览器软电话不可用：本热线未启用 WebRTC (no WebRTC on this hotline: the desk "
            "phone answers)"
        )
    extension = user.agent_id
    if user.role in SUPERVISING:  # 班长席: the phone 监听 and 拦截 ring
        extension = extension_of(user.username, user.agent_id)
    if extension is None:
        raise ForbiddenError("只有有分机号的用户才能使用软电话 (this user has no extension)")
    credential = softphones.issue(extension, session=session.nonce, expires=session.expires)
    await audit(
        request,
        user,
        "desk.softphone",
        subject_type="extension",
        subject_id=extension,
        detail={"auth_user": credential.auth_user, "expires": credential.expires},
    )
    edge = softphones.edge
    return SoftphoneOut(
        ws_url=edge.ws_url,
        sip_uri=f"sip:{extension}@{edge.domain}",
        authorization_user=credential.auth_user,
        password=credential.password,
        realm=credential.realm,
        display_name=user.display_name or extension,
        expires_at=credential.expires,
    )


@router.delete("/softphone", response_model=Ok, responses=errors(401))
async def revoke_softphone(
    request: Request, user: CurrentUser, session: CurrentSession, runtime: Runtime
) -> Ok:
    """Revoke this session's softphone credential (its registration ends within a poll)."""
    if runtime.softphones is not None and runtime.softphones.revoke(session.nonce):
        await audit(
            request,
            user,
            "desk.softphone_revoked",
            subject_type="extension",
            subject_id=user.agent_id or "",
        )
    return Ok()
