"""Kamailio's config as we write it, and reading `kamcmd ul.dump`."""

from pathlib import Path

import pytest

from hotline.sip.kamailio import KamailioError, KamailioSettings, parse_ul_dump, render

UL_DUMP = """{
	Domains: {
		Domain: {
			Domain: location
			Size: 1024
			AoRs: {
				Info: {
					AoR: 9001
					HashID: 12345
					Contacts: {
						Contact: {
							Address: sip:9001@127.0.0.1:40000
							Expires: 297
						}
					}
				}
				Info: {
					AoR: 9002@example.org
					Contacts: {
						Contact: {
							Address: sip:9002@127.0.0.1:40002
							Expires: permanent
						}
					}
				}
				Info: {
					AoR: 9003
					Contacts: {
						Contact: {
							Address: sip:9003@127.0.0.1:40004
							Expires: 0
						}
					}
				}
			}
		}
	}
}
"""


def test_registered_agents_are_read_from_ul_dump() -> None:
    assert parse_ul_dump(UL_DUMP) == {"9001", "9002"}
    assert parse_ul_dump("") == set()


def test_the_config_routes_the_numbers_to_hotline(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, port=5070, numbers=("95598", "4008"),
                                hotline_port=5090)  # fmt: skip
    text = render(settings, modules=Path("/modules"))
    assert "listen=udp:127.0.0.1:5070" in text
    assert '$rU == "95598" || $rU == "4008"' in text
    assert '$du = "sip:127.0.0.1:5090"' in text
    assert 'save("location")' in text
    assert 'lookup("location")' in text
    assert f"unix:{tmp_path}/kamailio_ctl" in text


def test_a_number_that_could_break_the_script_is_refused(tmp_path: Path) -> None:
    settings = KamailioSettings(workdir=tmp_path, numbers=('95598") { exit; } if ("',))
    with pytest.raises(KamailioError):
        render(settings, modules=Path("/modules"))
