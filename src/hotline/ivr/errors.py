"""Errors of the IVR package (configuration errors are `hotline.core.config.ConfigError`)."""

from __future__ import annotations

from hotline.core.errors import HotlineError


class IvrError(HotlineError):
    """Base of the IVR's errors."""

    error_id = "ivr-error"


class UnknownFlowError(IvrError):
    """`IvrRunner.start` was asked for a flow it was not given."""

    error_id = "no-such-flow"


class CallInIvrError(IvrError):
    """`IvrRunner.start` for a call whose flow is still running."""

    error_id = "call-already-in-ivr"


class MissingLookupError(IvrError):
    """A flow names a lookup the runner was not given (refused at construction)."""

    error_id = "no-such-lookup"


class InvalidFlowError(IvrError):
    """A flow given to the runner names nodes it lacks (built without the loader's checks)."""

    error_id = "invalid-flow"
