"""Login with username or email; tokens that are missing, expired or forged are 401."""

from datetime import timedelta

import httpx
import jwt
import pytest

from reference_app.core.security import TokenCodec


@pytest.mark.parametrize("login", ["alan", "alan@example.com", "ALAN@example.com"])
async def test_login_with_username_or_email(client: httpx.AsyncClient, api, login: str) -> None:
    await api.register("alan", password="enigma machine")
    response = await client.post(
        "/api/v1/auth/token", data={"username": login, "password": "enigma machine"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert set(body) == {"access_token", "token_type"}


@pytest.mark.parametrize(
    ("login", "password"), [("alan", "wrong password"), ("nobody", "enigma machine")]
)
async def test_wrong_credentials_are_401(client, api, assert_problem, login, password) -> None:
    await api.register("alan", password="enigma machine")
    response = await client.post(
        "/api/v1/auth/token", data={"username": login, "password": password}
    )
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["detail"] == "incorrect username or password"


@pytest.mark.one_backend
async def test_login_form_is_validated(client: httpx.AsyncClient, assert_problem) -> None:
    response = await client.post("/api/v1/auth/token", data={"username": "alan"})
    body = assert_problem(response, 422)
    assert ["body", "password"] in [error["loc"] for error in body["errors"]]


def _forge(claims: dict, key: str, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, key, algorithm=algorithm)


async def test_expired_forged_and_garbage_tokens_are_401(
    client: httpx.AsyncClient, api, settings, assert_problem
) -> None:
    account = await api.register("mallory")
    key = settings.secret_key.get_secret_value()
    expired = TokenCodec(secret_key=key, expires_in=timedelta(seconds=-1)).issue(str(account.id))
    forged = TokenCodec(
        secret_key="another key of at least thirty-two chars", expires_in=timedelta(minutes=5)
    )
    unsigned = _forge({"sub": str(account.id)}, key="", algorithm="none")
    no_expiry = _forge({"sub": str(account.id)}, key=key)
    unknown_user = TokenCodec(secret_key=key, expires_in=timedelta(minutes=5)).issue("424242")
    for token in [
        expired,
        forged.issue(str(account.id)),
        unsigned,
        no_expiry,
        unknown_user,
        "x.y.z",
    ]:
        response = await client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {token}"}
        )
        assert_problem(response, 401)
        assert response.headers["www-authenticate"] == "Bearer"


async def test_login_rehashes_a_password_hashed_with_old_parameters(
    settings_factory, app_factory, database_url
) -> None:
    weak = settings_factory(database_url, argon2_time_cost=1)
    strong = settings_factory(database_url, argon2_time_cost=2)
    credentials = {"username": "rehash", "password": "a fine password"}
    async with app_factory(weak) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            payload = {"email": "rehash@example.com", **credentials}
            assert (await client.post("/api/v1/users", json=payload)).status_code == 201
    async with app_factory(strong) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.post("/api/v1/auth/token", data=credentials)).status_code == 200
        async with app.state.database.sessionmaker() as session:
            from reference_app.repositories.users import UserRepository

            user = await UserRepository(session).get_by_username("rehash")
            assert user is not None
            assert ",t=2," in user.password_hash
