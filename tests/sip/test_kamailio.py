"""Kamailio's config as we write it, and reading `kamcmd ul.dump`."""

from pathlib import Path

import pytest

from hotline.sip.kamailio import KamailioError, KamailioSettings, parse_ul_dump, render

UL_DUMP = {  # `ul.dump brief` over JSON-RPC, as Kamailio 5.6 answers it
    "Domains": [
        {"Domain": {"Domain": "location", "Size": 1024,
                    "AoRs": [{"AoR": "9001"}, {"AoR": "9002@example.org"}]}}
    ]
}  # fmt: skip


def test_registered_agents_are_read_from_ul_dump() -> None:
    assert parse_ul_dump(UL_DUMP) == {"9001", "9002"}
    empty = {"Domains": [{"Domain": {"Domain": "location", "Size": 1024, "AoRs": []}}]}
    assert parse_ul_dump(empty) == set()


@pytest.mark.parametrize("answer", ["", "error: reply too big", None, {"Domains": [{}]}, [1]])
def test_an_answer_that_is_not_a_dump_is_an_error_never_nobody(answer: object) -> None:
    with pytest.raises(KamailioError):
        parse_ul_dump(answer)


def test_the_config_routes_the_numbers_to_hotline(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, port=5070, numbers=("95598", "4008"),
                                hotline_port=5090)  # fmt: skip
    text = render(settings, modules=Path("/modules"))
    assert "listen=udp:127.0.0.1:5070" in text
    assert '$rU == "95598" || $rU == "4008"' in text
    assert '$du = "sip:127.0.0.1:5090"' in text
    assert 'save("location", "0x04")' in text  # one contact per seat
    assert 'lookup("location")' in text
    assert f"unix:{tmp_path}/kamailio_ctl" in text


def test_a_number_that_could_break_the_script_is_refused(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, numbers=('95598") { exit; } if ("',))
    with pytest.raises(KamailioError):
        render(settings, modules=Path("/modules"))


def test_a_dial_plan_or_realm_that_could_break_the_script_is_refused(tmp_path: Path) -> None:
    for settings in (
        KamailioSettings(workdir=tmp_path, dial_plan='1") { exit; } if ("'),
        KamailioSettings(workdir=tmp_path, dial_plan="(unclosed"),
        KamailioSettings(workdir=tmp_path, realm='x"; exit;'),
    ):
        with pytest.raises(KamailioError):
            render(settings, modules=Path("/modules"))


def test_only_hotline_and_the_trunk_are_trusted_sources(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, hotline_port=5090, trunk=("10.0.0.7", 5070))
    text = render(settings, modules=Path("/modules"))
    assert '#!define FROM_HOTLINE ($si == "127.0.0.1" && $sp == 5090)' in text
    assert '#!define FROM_TRUNK ($si == "10.0.0.7" && $sp == 5070)' in text
    assert 'remove_hf("P-Asserted-Identity")' in text
    without = render(KamailioSettings(workdir=tmp_path), modules=Path("/modules"))
    assert "#!define FROM_TRUNK ($sp == 0)" in without
    assert 'sl_send_reply("404", "No Trunk")' in without
