"""The API's rates: shares from 0 to 1, never over, and none with nothing to divide."""

from __future__ import annotations

from hotline.outbound.views import rate


def test_a_rate_is_a_share_never_over_one_and_none_with_nothing_answered() -> None:
    assert rate(1, 4) == 0.25
    assert rate(0, 7) == 0.0
    assert rate(5, 3) == 1.0  # e.g. drops of answers counted before a restart
    assert rate(0, 0) is None
    assert rate(2, 0) is None
