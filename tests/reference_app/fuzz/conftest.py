"""Fixtures for fuzzing the reference app in process with schemathesis.

The app is built on the per-test database of `tests/reference_app/conftest.py`
(`[sqlite]` and `[postgres]`), but its lifespan is started by schemathesis, in
the event loop that serves its requests, not by pytest's loop.
`ARCH_CHECK_FUZZ_EXAMPLES` raises the examples per operation for a deep run.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.python import asgi

import checks.fuzz.project_checks  # noqa: F401 - registers the project's checks
from reference_app.main import create_app

EXAMPLES = int(os.environ.get("ARCH_CHECK_FUZZ_EXAMPLES", "25"))
PASSWORD = "correct horse battery staple"


@pytest.fixture
def fuzz_app(database_url: str, settings_factory: Callable[..., Any]) -> Iterator[FastAPI]:
    """A fresh app on this test's database; its lifespan is stopped after the test."""
    yield create_app(settings_factory(database_url))
    asgi.shutdown_lifespans()


def _sign_up(client: Any) -> dict[str, str]:
    name = f"fuzz_{uuid.uuid4().hex[:12]}"
    user = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    created = client.post("/api/v1/users", json=user)
    assert created.status_code == 201, created.text
    token = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
def sign_up() -> Callable[[Any], dict[str, str]]:
    """`sign_up(client)`: register a new user through the API, return its bearer header."""
    return _sign_up


@pytest.fixture
def examples() -> int:
    """Examples per operation: `ARCH_CHECK_FUZZ_EXAMPLES`, 25 by default."""
    return EXAMPLES


@pytest.fixture
def deep() -> bool:
    """Whether this is a deep run (`ARCH_CHECK_FUZZ_EXAMPLES` set)."""
    return "ARCH_CHECK_FUZZ_EXAMPLES" in os.environ


@pytest.fixture
def fuzz_schema(fuzz_app: FastAPI) -> Any:
    """The app's OpenAPI schema, loaded in process (this starts the lifespan)."""
    config = schemathesis.Config.from_dict({"generation": {"max-examples": EXAMPLES}})
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app, config=config)


@pytest.fixture
def api_client(fuzz_schema: Any) -> Iterator[Any]:
    """A requests-style client on the running app, for setting up users."""
    with asgi.get_client(fuzz_schema.app) as client:
        yield client
