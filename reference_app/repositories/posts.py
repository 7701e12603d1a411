"""Queries on posts."""

from collections.abc import Sequence

from sqlalchemy import func, select

from reference_app.models import Post
from reference_app.repositories.base import SqlRepository


class PostRepository(SqlRepository):
    """Posts in the database."""

    async def get(self, post_id: int) -> Post | None:
        """Return the post with this id, or None."""
        return await self._session.get(Post, post_id)

    async def list_newest_first(self, *, limit: int, offset: int) -> Sequence[Post]:
        """Return one page of posts, newest first (ids grow with time)."""
        result = await self._session.scalars(
            select(Post).order_by(Post.id.desc()).limit(limit).offset(offset)
        )
        return result.all()

    async def count(self) -> int:
        """Return the number of posts."""
        total = await self._session.scalar(select(func.count()).select_from(Post))
        return total or 0

    async def add(self, *, author_id: int, title: str, body: str) -> Post:
        """Insert a post."""
        post = Post(author_id=author_id, title=title, body=body)
        self._session.add(post)
        await self._flush("the author of this post does not exist")
        return post

    async def update(
        self, post: Post, *, title: str | None = None, body: str | None = None
    ) -> Post:
        """Change the given fields and flush."""
        if title is not None:
            post.title = title
        if body is not None:
            post.body = body
        await self._flush("the post could not be updated")
        return post

    async def delete(self, post: Post) -> None:
        """Delete the post and flush."""
        await self._session.delete(post)
        await self._session.flush()
