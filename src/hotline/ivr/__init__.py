"""The IVR (语音交互应答): flows as YAML data and the interpreter that walks calls through them.

Load flows with `load_flow` / `load_flows`, run them with `IvrRunner`; the
post-call survey is a flow too. Everything a call does here is an event.
"""

from hotline.ivr.context import CallContext, IvrExit
from hotline.ivr.errors import (
    CallInIvrError,
    InvalidFlowError,
    IvrError,
    MissingLookupError,
    UnknownFlowError,
)
from hotline.ivr.events import (
    CallbackOffered,
    IdentityChecked,
    InputFailed,
    IvrAborted,
    IvrEntered,
    IvrExited,
    IvrStopped,
    LookupDone,
    MenuChosen,
    SurveyScored,
)
from hotline.ivr.flow import Flow, Prompt
from hotline.ivr.holidays import ChineseHolidayCalendar
from hotline.ivr.interpreter import MAX_NODES_WITHOUT_INPUT, IvrRunner
from hotline.ivr.loader import load_flow, load_flows, parse_flow
from hotline.ivr.ports import HolidayCalendar, IdentityVerifier, Lookup

__all__ = [
    "MAX_NODES_WITHOUT_INPUT",
    "CallContext",
    "CallInIvrError",
    "CallbackOffered",
    "ChineseHolidayCalendar",
    "Flow",
    "HolidayCalendar",
    "IdentityChecked",
    "IdentityVerifier",
    "InputFailed",
    "InvalidFlowError",
    "IvrAborted",
    "IvrEntered",
    "IvrError",
    "IvrExit",
    "IvrExited",
    "IvrRunner",
    "IvrStopped",
    "Lookup",
    "LookupDone",
    "MenuChosen",
    "MissingLookupError",
    "Prompt",
    "SurveyScored",
    "UnknownFlowError",
    "load_flow",
    "load_flows",
    "parse_flow",
]
