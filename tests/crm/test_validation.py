"""Phone numbers and resident ID numbers (身份证, GB 11643 check character)."""

from __future__ import annotations

import pytest

from hotline.crm.validation import id_check_character, normalize_id_number, normalize_phone


def test_the_check_character_of_the_standard_example():
    # GB 11643-1999's own example: 11010519491231002X. Σ digit × weight = 167; 167 mod 11 = 2 → X
    assert (
        sum(
            int(d) * w
            for d, w in zip(
                "11010519491231002",
                (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2),
                strict=True,
            )
        )
        == 167
    )
    assert id_check_character("11010519491231002") == "X"
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("110105194912310021", "the check character is 1, but the first 17 digits give X"),
        ("110105194913310029", "birth date 19491331"),
        ("11010519491231002", "18 characters"),
        ("1101051949123100AX", "17 digits and a digit or X"),
    ],
)
def test_a_wrong_id_number_says_what_is_wrong(raw, words):
    with pytest.raises(ValueError, match=words):
        normalize_id_number(raw)


def test_old_fifteen_digit_numbers_and_empty_ones_pass():
    assert normalize_id_number("110105491231002") == "110105491231002"
    assert normalize_id_number("  ") == ""


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13800138000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("010-12345678", "01012345678"),
        ("(0571)87654321", "057187654321"),
    ],
)
def test_phone_numbers_are_stored_as_digits(raw, stored):
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["1380013800", "12800138000", "95598", "abc", "12345678"])
def test_a_wrong_phone_number_is_refused(raw):
    with pytest.raises(ValueError, match="not a phone number"):
        normalize_phone(raw)
