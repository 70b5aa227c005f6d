"""Schemathesis on the app's own OpenAPI schema: no input gives a 5xx, answers match it.

Every operation is called with generated valid and invalid inputs, as an
authenticated administrator (the role that reaches the most code; the role
checks have their own tests). Logging out is left out: it would end the
session the other calls use. The runtime is real, with a paused clock.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from hotline.api import create_app
from tests.api.conftest import PASSWORD, make_runtime

EXAMPLES = 10
SKIPPED = {"/api/auth/logout"}  # it would end the session every other call uses
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


async def _admin_token(app: FastAPI) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.post(
            "/api/auth/login", json={"username": "admin", "password": PASSWORD}
        )
    response.raise_for_status()
    token: str = response.json()["token"]
    return token


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    # one app per test: schemathesis ends an ASGI app's lifespan (the runtime) with each test
    return create_app(make_runtime(tmp_path), secret="schema")


@pytest.fixture
def admin(app: FastAPI) -> dict[str, str]:
    return {"Authorization": f"Bearer {asyncio.run(_admin_token(app))}"}


def _run(operation: Any, mode: GenerationMode, admin: dict[str, str]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        phases=[Phase.generate],
    )
    def call(case: Any) -> None:
        case.call_and_validate(headers=admin, checks=CHECKS)

    call()


@pytest.mark.timeout(300)
@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
def test_no_input_gives_a_server_error_and_answers_match_the_schema(
    app: FastAPI, admin: dict[str, str], mode: GenerationMode
) -> None:
    # (schemathesis' own pytest loader, `from_fixture`, does not run under pytest 9: each
    # operation's property test is therefore driven here, and every failure reported)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIPPED:
            continue
        operations += 1
        try:
            _run(operation, mode, admin)
        except Unsatisfiable:
            # nothing invalid can be made for an operation without parameters
            assert mode is GenerationMode.NEGATIVE, operation.path
        except Exception as error:
            failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert operations >= 25
    assert not failures, "\n\n".join(failures)
