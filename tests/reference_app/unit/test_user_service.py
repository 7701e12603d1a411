"""UserService: uniqueness, hashing, caching, updates."""

import pytest

from reference_app.core.exceptions import ConflictError, NotFoundError
from reference_app.schemas.user import UserCreate, UserRead, UserUpdate


def sign_up(name: str = "ada", email: str | None = None) -> UserCreate:
    return UserCreate(email=email or f"{name}@example.com", username=name, password="password1")


async def test_register_hashes_the_password_and_returns_a_read_schema(
    user_service, user_repo
) -> None:
    created = await user_service.register(sign_up())
    assert type(created) is UserRead
    stored = user_repo.rows[created.id]
    assert stored.password_hash.startswith("$argon2id$")
    assert "password1" not in stored.password_hash


@pytest.mark.parametrize(
    "duplicate", [sign_up("other", email="ada@example.com"), sign_up("ada", email="x@example.com")]
)
async def test_register_refuses_a_taken_email_or_username(user_service, duplicate) -> None:
    await user_service.register(sign_up())
    with pytest.raises(ConflictError):
        await user_service.register(duplicate)


async def test_get_reads_through_the_cache(user_service, user_repo) -> None:
    created = await user_service.register(sign_up())
    reads = user_repo.reads
    assert await user_service.get(created.id) == created
    assert await user_service.get(created.id) == created
    assert user_repo.reads == reads + 1


async def test_get_unknown_user_raises_not_found(user_service) -> None:
    with pytest.raises(NotFoundError):
        await user_service.get(42)


async def test_update_changes_fields_and_invalidates_the_cache(user_service, user_repo) -> None:
    created = await user_service.register(sign_up())
    await user_service.get(created.id)
    updated = await user_service.update(created.id, UserUpdate(username="lovelace"))
    assert updated.username == "lovelace"
    assert updated.email == created.email
    assert (await user_service.get(created.id)).username == "lovelace"


async def test_update_to_own_values_is_not_a_conflict(user_service) -> None:
    created = await user_service.register(sign_up())
    same = UserUpdate(email=created.email, username=created.username)
    assert (await user_service.update(created.id, same)).id == created.id


async def test_update_to_a_taken_username_is_a_conflict(user_service) -> None:
    await user_service.register(sign_up("first"))
    second = await user_service.register(sign_up("second"))
    with pytest.raises(ConflictError):
        await user_service.update(second.id, UserUpdate(username="first"))


async def test_update_rehashes_a_new_password(user_service, user_repo) -> None:
    created = await user_service.register(sign_up())
    old_hash = user_repo.rows[created.id].password_hash
    await user_service.update(created.id, UserUpdate(password="brand new pass"))
    assert user_repo.rows[created.id].password_hash != old_hash
