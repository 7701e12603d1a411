"""AuthService: login by username or email, rehash, token resolution, timing guard."""

import pytest

from reference_app.core.exceptions import AuthenticationError
from reference_app.schemas.user import UserCreate
from reference_app.services.auth import AuthService


@pytest.fixture
async def alice(user_service):
    return await user_service.register(
        UserCreate(email="alice@example.com", username="alice", password="wonderland")
    )


@pytest.mark.parametrize("login", ["alice", "alice@example.com", "Alice@Example.com"])
async def test_login_returns_a_token_for_the_user(auth_service, tokens, alice, login) -> None:
    token = await auth_service.login(login, "wonderland")
    assert token.token_type == "bearer"
    assert tokens.subject(token.access_token) == str(alice.id)


@pytest.mark.parametrize(("login", "password"), [("alice", "wrong one"), ("bob", "wonderland")])
async def test_login_refuses_wrong_credentials(auth_service, alice, login, password) -> None:
    with pytest.raises(AuthenticationError):
        await auth_service.login(login, password)


async def test_unknown_user_still_costs_a_verification(auth_service, hasher, monkeypatch) -> None:
    calls = []
    original = hasher.dummy_verify

    async def spy(password: str) -> None:
        calls.append(password)
        await original(password)

    monkeypatch.setattr(hasher, "dummy_verify", spy)
    with pytest.raises(AuthenticationError):
        await auth_service.login("nobody", "whatever")
    assert calls == ["whatever"]


async def test_login_upgrades_a_hash_made_with_old_parameters(
    user_repo, tokens, hasher_factory, alice
) -> None:
    old_hash = user_repo.rows[alice.id].password_hash
    stronger = AuthService(user_repo, hasher=hasher_factory(time_cost=2), tokens=tokens)
    await stronger.login("alice", "wonderland")
    new_hash = user_repo.rows[alice.id].password_hash
    assert new_hash != old_hash
    assert ",t=2," in new_hash


async def test_current_user_resolves_a_valid_token(auth_service, tokens, alice) -> None:
    assert await auth_service.current_user(tokens.issue(str(alice.id))) == alice


@pytest.mark.parametrize(
    ("subject", "key", "seconds"),
    [
        ("1", None, -5),
        ("1", "a different key, also long enough for hs256", 60),
        ("999", None, 60),
        ("not-an-id", None, 60),
    ],
    ids=["expired", "forged", "unknown-user", "bad-subject"],
)
async def test_current_user_refuses_bad_tokens(
    auth_service, token_factory, alice, subject, key, seconds
) -> None:
    token = token_factory(subject, seconds=seconds, **({"key": key} if key else {}))
    with pytest.raises(AuthenticationError):
        await auth_service.current_user(token)


async def test_current_user_refuses_garbage(auth_service) -> None:
    with pytest.raises(AuthenticationError):
        await auth_service.current_user("garbage")
