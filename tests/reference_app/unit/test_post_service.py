"""PostService: ownership rules and pagination."""

import pytest

from reference_app.core.exceptions import NotFoundError, PermissionDeniedError
from reference_app.schemas.page import Page
from reference_app.schemas.post import PostCreate, PostRead, PostUpdate


async def test_create_returns_a_read_schema_with_the_author(post_service) -> None:
    post = await post_service.create(7, PostCreate(title="t", body="b"))
    assert type(post) is PostRead
    assert post.author_id == 7


async def test_list_page_is_newest_first_with_total(post_service) -> None:
    for number in range(5):
        await post_service.create(1, PostCreate(title=f"p{number}", body="b"))
    page = await post_service.list_page(limit=2, offset=1)
    assert isinstance(page, Page)
    assert [post.title for post in page.items] == ["p3", "p2"]
    assert (page.total, page.limit, page.offset) == (5, 2, 1)


async def test_only_the_author_updates_or_deletes(post_service) -> None:
    post = await post_service.create(1, PostCreate(title="t", body="b"))
    with pytest.raises(PermissionDeniedError):
        await post_service.update(post.id, 2, PostUpdate(title="stolen"))
    with pytest.raises(PermissionDeniedError):
        await post_service.delete(post.id, 2)
    updated = await post_service.update(post.id, 1, PostUpdate(body="edited"))
    assert (updated.title, updated.body) == ("t", "edited")
    await post_service.delete(post.id, 1)
    with pytest.raises(NotFoundError):
        await post_service.get(post.id)


@pytest.mark.parametrize("action", ["get", "update", "delete"])
async def test_missing_post_is_not_found(post_service, action) -> None:
    calls = {
        "get": lambda: post_service.get(9),
        "update": lambda: post_service.update(9, 1, PostUpdate(title="x")),
        "delete": lambda: post_service.delete(9, 1),
    }
    with pytest.raises(NotFoundError):
        await calls[action]()
