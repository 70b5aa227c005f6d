"""The message catalogues: complete in both languages and covering every word the pages use."""

from __future__ import annotations

import re

import pytest

from hotline.calls.config import DeskModel
from hotline.calls.events import Outcome
from hotline.core.customer import Tier
from hotline.routing.model import AgentState, NotReadyReason, Strategy
from hotline.web import STATIC_DIR, TEMPLATE_DIR
from hotline.web.i18n import EN, ZH, catalogue, pick_language, translate
from hotline.web.numbers import format_count, format_duration, format_percent

# t('key') / t("key") with a whole literal key (dynamic keys like 'state.' ~ s are skipped)
LITERAL_KEY = re.compile(r"""\bt\(\s*['"]([a-z_]+\.[a-z_.]+)['"]\s*[,)]""")


def test_both_languages_have_the_same_messages() -> None:
    assert set(EN) == set(ZH)
    assert all(text.strip() for text in [*EN.values(), *ZH.values()])


def test_placeholders_are_the_same_in_both_languages() -> None:
    placeholder = re.compile(r"\{(\w+)\}")
    for key, text in ZH.items():
        assert set(placeholder.findall(text)) == set(placeholder.findall(EN[key])), key


def test_every_message_a_page_or_script_names_exists() -> None:
    files = [*TEMPLATE_DIR.glob("*.html"), *(STATIC_DIR / "js").glob("*.js")]
    used = {key for path in files for key in LITERAL_KEY.findall(path.read_text("utf-8"))}
    assert len(used) > 100  # the pattern finds the calls
    assert sorted(used - set(ZH)) == []


@pytest.mark.parametrize(
    ("prefix", "values"),
    [
        ("state.", [s.value for s in AgentState]),
        ("reason.", [r.value for r in NotReadyReason]),
        ("tier.", [t.value for t in Tier]),
        ("mark.", ["red", "black", "none"]),
        ("outcome.", [o.value for o in Outcome]),
        ("strategy.", [s.value for s in Strategy]),
        ("disposition.", list(DeskModel().dispositions)),
        ("board.alert_", ["waiting", "longest_wait", "service_level"]),
    ],
)
def test_every_engine_value_the_console_shows_has_a_name(prefix: str, values: list[str]) -> None:
    missing = [value for value in values if f"{prefix}{value}" not in ZH]
    assert missing == []


def test_the_glossary_terms_are_used() -> None:
    # SPEC.md glossary: 示忙/示闲, 签入/签出, 事后处理, 转接, 保持, 服务水平, 红名单/黑名单
    assert ZH["desk.not_ready"] == "示忙"
    assert ZH["desk.ready"] == "示闲"
    assert ZH["desk.login"] == "签入"
    assert ZH["desk.logout"] == "签出"
    assert ZH["state.wrap_up"] == "事后处理"
    assert EN["state.wrap_up"] == "After-call work"
    assert ZH["desk.transfer"] == "转接"
    assert ZH["desk.hold"] == "保持"
    assert ZH["board.service_level"] == "服务水平"
    assert ZH["role.shift_lead"] == "值班长"
    assert ZH["mark.red"] == "红名单"
    assert ZH["mark.black"] == "黑名单"


def test_the_language_is_the_query_then_the_cookie_then_chinese() -> None:
    assert pick_language(None, None) == "zh"
    assert pick_language("en", None) == "en"
    assert pick_language(None, "en") == "en"
    assert pick_language("zh", "en") == "zh"
    assert pick_language("fr", "en") == "en"
    assert pick_language("fr", "de") == "zh"


def test_translate_fills_placeholders_and_falls_back() -> None:
    assert translate("zh", "admin.saved", version=3) == "已保存，版本 3"
    assert translate("en", "admin.saved", version=3) == "Saved, version 3"
    assert translate("de", "nav.desk") == "坐席工作台"
    assert translate("en", "no.such.key") == "no.such.key"
    assert catalogue("en")["nav.board"] == "Wallboard"


def test_numbers_are_written_as_the_scripts_write_them() -> None:
    assert format_count(None) == "—"
    assert format_count(12) == "12"
    assert format_percent(None) == "—"
    assert format_percent(0.8734) == "87.3%"
    assert format_percent(1.0) == "100.0%"
    assert format_duration(None) == "—"
    assert format_duration(-3) == "0:00"
    assert format_duration(41.9) == "0:41"
    assert format_duration(3725) == "1:02:05"
