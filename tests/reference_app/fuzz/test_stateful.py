"""Stateful fuzzing: schemathesis' state machine walks create -> read -> update -> delete.

Links come from the app's schema (inferred from `id` fields and path parameters);
every step runs schemathesis' checks (use-after-free, resource availability, ...)
and the project's. After each post it creates, a second user must get 403 when
changing or deleting it.

Hypothesis replays scenarios, so each one starts from the same database: emptied,
ids restarted, then the same two users signed up again (their tokens stay valid).
"""

import asyncio

import hypothesis
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

POSTS = "/api/v1/posts"
POST = "/api/v1/posts/{post_id}"
USERS = "/api/v1/users"
USER = "/api/v1/users/{user_id}"
PASSWORD = "correct horse battery staple"


async def _empty(database_url):
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            if engine.dialect.name == "postgresql":
                await connection.execute(text("TRUNCATE posts, users RESTART IDENTITY CASCADE"))
            else:
                await connection.execute(text("DELETE FROM posts"))
                await connection.execute(text("DELETE FROM users"))
    finally:
        await engine.dispose()


def _sign_up(client, name):
    body = {"email": f"{name}@example.com", "username": name, "password": PASSWORD}
    assert client.post(USERS, json=body).status_code == 201
    token = client.post("/api/v1/auth/token", data={"username": name, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
def fresh_users(database_url, api_client):
    """`fresh_users()`: empty the database, sign up owner and intruder, return their headers."""

    def reset():
        asyncio.run(_empty(database_url))
        return _sign_up(api_client, "owner"), _sign_up(api_client, "intruder")

    return reset


@pytest.fixture
def machine_settings(examples, deep):
    # The default run replays the same walk (stable CI); a deep run explores anew.
    return hypothesis.settings(
        max_examples=examples,
        stateful_step_count=8,
        deadline=None,
        database=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        derandomize=not deep,
    )


def test_crud_flows_pass_every_check_and_guard_others_posts(
    fuzz_schema, fresh_users, machine_settings
):
    owner, intruder = fresh_users()
    fuzz_schema.config.headers = owner
    flows: set[tuple[str, str, int]] = set()
    foreign_writes: list[int] = []

    class Machine(fuzz_schema.as_state_machine()):
        def setup(self):
            super().setup()
            fresh_users()
            self.created = {POST: set(), USER: set()}

        def after_call(self, response, case):
            super().after_call(response, case)
            path = case.operation.path
            if case.method == "POST" and path in (POSTS, USERS) and response.status_code == 201:
                created = response.json()["id"]
                self.created[POST if path == POSTS else USER].add(created)
                if path == POSTS:
                    foreign_writes.extend(_write_as(intruder, created))
            ids = self.created.get(path, set())
            if ids and (case.path_parameters or {}).get(_id_name(path)) in ids:
                flows.add((case.method, path, response.status_code // 100))

    def _write_as(headers, post_id):
        operation = fuzz_schema[POST]
        for method, extra in (("PATCH", {"body": {"title": "taken over"}}), ("DELETE", {})):
            case = operation[method].Case(path_parameters={"post_id": post_id}, **extra)
            yield case.call(headers=headers).status_code

    Machine.run(settings=machine_settings)

    assert ("GET", USER, 2) in flows
    assert {("GET", POST, 2), ("DELETE", POST, 2)} <= flows
    # A generated patch may be rejected; that it reached a created post is the point.
    assert any(method == "PATCH" and path == POST for method, path, _ in flows)
    assert foreign_writes and set(foreign_writes) == {403}


def _id_name(path):
    return "post_id" if path == POST else "user_id"
