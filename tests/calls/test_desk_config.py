"""The desk settings of hotline.yaml: which wrap-up dispositions may go without a note."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from hotline.calls.config import DeskModel


def test_by_default_only_an_order_a_transfer_or_a_nuisance_call_goes_without_a_note() -> None:
    desk = DeskModel()
    optional = {code for code in desk.dispositions if code in desk.note_optional}
    assert optional == {"order_created", "transferred", "invalid"}


def test_note_optional_names_only_configured_dispositions() -> None:
    with pytest.raises(ValidationError, match="not configured: nope"):
        DeskModel(dispositions={"solved": "已解答"}, note_optional=["nope"])
    assert DeskModel(dispositions={"solved": "已解答"}, note_optional=[]).note_optional == []
