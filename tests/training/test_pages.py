"""The training pages: shells for the right roles, every word they use in both languages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hotline.app import build_app
from hotline.training import words
from tests.api.conftest import PASSWORD, make_runtime

FOLDER = Path(words.__file__).parent
KEY = re.compile(r"""\bt\(\s*['"](training\.[a-z_.]+)['"]\s*[,)]""")


def test_every_word_the_pages_use_is_there_in_both_languages() -> None:
    files = [*(FOLDER / "templates").glob("*.html"), *(FOLDER / "static").glob("*.js")]
    used = {key for path in files for key in KEY.findall(path.read_text("utf-8"))}
    assert len(used) > 40
    assert sorted(used - set(words.ZH)) == []
    assert set(words.ZH) == set(words.EN)
    placeholder = re.compile(r"\{(\w+)\}")
    for key, text in words.ZH.items():
        assert set(placeholder.findall(text)) == set(placeholder.findall(words.EN[key])), key


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(build_app(make_runtime(tmp_path), secret="test-secret")) as client:
        yield client


def log_in(client: TestClient, username: str) -> None:
    response = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text


def test_the_pages_open_for_their_roles(client: TestClient) -> None:
    log_in(client, "lead")
    page = client.get("/training")
    assert page.status_code == 200
    assert "培训与考核" in page.text
    assert 'data-may-tick="yes"' in page.text
    assert client.get("/training?lang=en").text.count("Training and assessment") >= 1
    assert client.get("/my-training").status_code == 403
    log_in(client, "qa")
    assert 'data-may-tick="no"' in client.get("/training").text
    log_in(client, "9001")
    mine = client.get("/my-training?lang=zh")
    assert mine.status_code == 200
    assert "我的培训" in mine.text
    assert client.get("/training").status_code == 403
