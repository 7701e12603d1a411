"""Repositories on real SQLite files and real PostgreSQL, one fresh database per test."""

from datetime import UTC

import pytest
from sqlalchemy import select
from sqlalchemy.exc import InvalidRequestError

from reference_app.core.exceptions import ConflictError
from reference_app.models import Post, User
from reference_app.repositories.posts import PostRepository
from reference_app.repositories.users import UserRepository


async def add_user(session, name: str = "ada") -> User:
    return await UserRepository(session).add(
        email=f"{name}@example.com", username=name, password_hash="$argon2id$not-a-real-hash"
    )


async def test_add_and_find_users(session) -> None:
    users = UserRepository(session)
    user = await add_user(session)
    await session.commit()
    assert user.id is not None
    assert user.created_at.tzinfo is UTC
    session.expunge_all()
    assert (await users.get(user.id)).username == "ada"
    assert (await users.get_by_email("ada@example.com")).id == user.id
    assert (await users.get_by_username("ada")).id == user.id
    assert await users.get_by_username("nobody") is None
    assert (await users.get(user.id)).created_at.tzinfo is UTC


@pytest.mark.parametrize("clash", ["email", "username"])
async def test_unique_race_becomes_conflict(session, clash: str) -> None:
    users = UserRepository(session)
    await add_user(session)
    await session.commit()
    values = {"email": "other@example.com", "username": "other", "password_hash": "h"}
    values[clash] = "ada@example.com" if clash == "email" else "ada"
    with pytest.raises(ConflictError):
        await users.add(**values)
    await session.rollback()


async def test_update_to_a_taken_value_is_conflict(session) -> None:
    await add_user(session, "first")
    second = await add_user(session, "second")
    with pytest.raises(ConflictError):
        await UserRepository(session).update(second, username="first")


async def test_update_sets_updated_at(session) -> None:
    user = await add_user(session)
    before = user.updated_at
    updated = await UserRepository(session).update(user, email="new@example.com")
    assert updated.updated_at > before
    assert updated.created_at == user.created_at


async def test_posts_page_count_update_delete(session) -> None:
    author = await add_user(session)
    posts = PostRepository(session)
    created = [
        await posts.add(author_id=author.id, title=f"p{number}", body="b") for number in range(4)
    ]
    await session.commit()
    page = await posts.list_newest_first(limit=2, offset=1)
    assert [post.title for post in page] == ["p2", "p1"]
    assert await posts.count() == 4
    await posts.update(created[0], title="edited")
    assert (await posts.get(created[0].id)).title == "edited"
    await posts.delete(created[1])
    assert await posts.get(created[1].id) is None
    assert await posts.count() == 3


async def test_post_with_unknown_author_is_conflict(session) -> None:
    with pytest.raises(ConflictError):
        await PostRepository(session).add(author_id=424242, title="t", body="b")


async def test_relationships_refuse_lazy_loading(session) -> None:
    author = await add_user(session)
    post = await PostRepository(session).add(author_id=author.id, title="t", body="b")
    await session.commit()
    session.expunge_all()
    loaded = await session.scalar(select(Post).where(Post.id == post.id))
    with pytest.raises(InvalidRequestError):
        _ = loaded.author


async def test_deleting_a_user_cascades_to_posts(session) -> None:
    author = await add_user(session)
    post = await PostRepository(session).add(author_id=author.id, title="t", body="b")
    await session.commit()
    await session.delete(author)
    await session.commit()
    session.expunge_all()
    assert await PostRepository(session).get(post.id) is None
