"""Helpers for end-to-end flows: sign up, log in, authorization headers."""

import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

_counter = itertools.count()
PROBLEM_JSON = "application/problem+json"
DEFAULT_PASSWORD = "correct horse"


def _assert_problem(response: httpx.Response, status: int) -> dict:
    """Check an RFC 9457 problem response with this status and return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    return body


async def _refuse_secrets(response: httpx.Response) -> None:
    """No response may carry a password hash or name the hash column."""
    await response.aread()
    assert "$argon2" not in response.text, response.text
    assert "password_hash" not in response.text, response.text


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The app's client, checking that no response of any e2e test leaks a hash."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://test",
        event_hooks={"response": [_refuse_secrets]},
    ) as http:
        yield http


@pytest.fixture
def assert_problem() -> Callable[[httpx.Response, int], dict]:
    """`assert_problem(response, status)`: the response is problem details with `status`."""
    return _assert_problem


@dataclass
class Account:
    """A registered user and a valid bearer header for it."""

    id: int
    email: str
    username: str
    password: str
    headers: dict[str, str]


class Api:
    """The few calls every flow starts with."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def register(self, name: str | None = None, password: str = DEFAULT_PASSWORD) -> Account:
        """Sign up a new user and log it in."""
        name = name or f"user{next(_counter)}"
        email = f"{name}@example.com"
        response = await self.client.post(
            "/api/v1/users", json={"email": email, "username": name, "password": password}
        )
        assert response.status_code == 201, response.text
        token = await self.login(name, password)
        return Account(
            id=response.json()["id"],
            email=email,
            username=name,
            password=password,
            headers={"Authorization": f"Bearer {token}"},
        )

    async def login(self, login: str, password: str) -> str:
        """Return an access token for these credentials."""
        response = await self.client.post(
            "/api/v1/auth/token", data={"username": login, "password": password}
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    async def create_post(
        self, account: Account, title: str = "Hello", body: str = "World"
    ) -> dict:
        """Publish a post as `account` and return it."""
        response = await self.client.post(
            "/api/v1/posts", json={"title": title, "body": body}, headers=account.headers
        )
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture
def api(client: httpx.AsyncClient) -> Api:
    """Flow helpers on this test's client."""
    return Api(client)
