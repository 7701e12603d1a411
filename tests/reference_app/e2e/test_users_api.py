"""Users: sign-up, /me, lookups, and what never appears in a response."""

import asyncio

import httpx
import pytest


async def test_sign_up_returns_the_user_without_password(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/users",
        json={"email": "Ada@Example.com", "username": "ada", "password": "s3cret-pass"},
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "username", "created_at", "updated_at"}
    assert body["email"] == "ada@example.com"
    assert body["created_at"].endswith("Z") or body["created_at"].endswith("+00:00")
    assert "s3cret-pass" not in response.text
    assert "argon2" not in response.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "someone-else"}, "email"),
        ({"email": "other@example.com"}, "username"),
    ],
)
async def test_duplicate_email_or_username_is_409(
    client, api, change, field, assert_problem
) -> None:
    await api.register("taken")
    payload = {"email": "taken@example.com", "username": "taken", "password": "long enough"}
    response = await client.post("/api/v1/users", json=payload | change)
    body = assert_problem(response, 409)
    assert field in body["detail"]


async def test_duplicate_email_differing_in_case_is_409(client, api, assert_problem) -> None:
    await api.register("casey")
    payload = {"email": "CASEY@example.com", "username": "casey2", "password": "long enough"}
    assert_problem(await client.post("/api/v1/users", json=payload), 409)


@pytest.mark.one_backend
@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-email", "username": "valid", "password": "long enough"}, "email"),
        ({"email": "a@example.com", "username": "ab", "password": "long enough"}, "username"),
        ({"email": "a@example.com", "username": "valid", "password": "short"}, "password"),
        ({"email": "a@example.com", "username": "valid"}, "password"),
    ],
)
async def test_invalid_sign_up_is_422_listing_the_field(
    client, payload, field, assert_problem
) -> None:
    response = await client.post("/api/v1/users", json=payload)
    body = assert_problem(response, 422)
    assert [error["loc"] for error in body["errors"]] == [["body", field]]
    assert "short" not in response.text.replace("too_short", "")  # input is never echoed


@pytest.mark.one_backend
async def test_me_requires_a_token(client: httpx.AsyncClient, assert_problem) -> None:
    response = await client.get("/api/v1/users/me")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_me_returns_the_token_owner(client, api) -> None:
    account = await api.register("grace")
    response = await client.get("/api/v1/users/me", headers=account.headers)
    assert response.status_code == 200
    assert response.json()["username"] == "grace"


async def test_patch_me_changes_fields_and_password(client, api, assert_problem) -> None:
    account = await api.register("linus")
    response = await client.patch(
        "/api/v1/users/me",
        json={"username": "torvalds", "password": "a new password"},
        headers=account.headers,
    )
    assert response.status_code == 200
    assert response.json()["username"] == "torvalds"
    assert response.json()["email"] == account.email
    await api.login("torvalds", "a new password")
    old = await client.post(
        "/api/v1/auth/token", data={"username": "torvalds", "password": account.password}
    )
    assert_problem(old, 401)


async def test_patch_me_to_a_taken_username_is_409(client, api, assert_problem) -> None:
    await api.register("first")
    second = await api.register("second")
    response = await client.patch(
        "/api/v1/users/me", json={"username": "first"}, headers=second.headers
    )
    assert_problem(response, 409)


@pytest.mark.one_backend
async def test_patch_me_without_token_is_401(client: httpx.AsyncClient, assert_problem) -> None:
    response = await client.patch("/api/v1/users/me", json={"username": "nobody"})
    assert_problem(response, 401)


async def test_get_user_by_id_and_cache_invalidation(client, api) -> None:
    account = await api.register("barbara")
    first = await client.get(f"/api/v1/users/{account.id}")
    assert first.status_code == 200
    assert first.json()["username"] == "barbara"
    await client.patch("/api/v1/users/me", json={"username": "liskov"}, headers=account.headers)
    second = await client.get(f"/api/v1/users/{account.id}")
    assert second.json()["username"] == "liskov"


@pytest.mark.one_backend
@pytest.mark.parametrize("user_id", ["999999", "0", "-1", "abc", str(2**40)])
async def test_unknown_or_invalid_user_id(
    client: httpx.AsyncClient, user_id: str, assert_problem
) -> None:
    response = await client.get(f"/api/v1/users/{user_id}")
    assert_problem(response, 404 if user_id == "999999" else 422)


async def test_concurrent_sign_ups_with_one_username_give_one_201_and_409s(
    client: httpx.AsyncClient,
) -> None:
    async def sign_up(number: int) -> int:
        payload = {"email": f"racer{number}@example.com", "username": "racer", "password": "p" * 8}
        return (await client.post("/api/v1/users", json=payload)).status_code

    statuses = await asyncio.gather(*(sign_up(number) for number in range(5)))
    assert sorted(statuses) == [201, 409, 409, 409, 409]
