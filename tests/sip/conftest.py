"""Fixtures of the SIP tests: the example hotline's prompts, synthesized once per module."""

from pathlib import Path

import pytest

from hotline.calls.config import load_hotline
from hotline.sip.prompts import synthesize
from hotline.sip.serve import prompt_texts
from tests.support.sip import need

EXAMPLE = Path(__file__).resolve().parents[2] / "examples/95598/hotline.yaml"


@pytest.fixture(scope="module")
def prompts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    need("espeak-ng", "sox")
    folder = tmp_path_factory.mktemp("prompts")
    synthesize(prompt_texts(load_hotline(EXAMPLE)), folder)
    return folder
