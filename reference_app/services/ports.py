"""What services need from repositories and the database, as protocols.

The SQLAlchemy repositories satisfy them structurally; unit tests pass in-memory
fakes that do too.
"""

from collections.abc import Sequence
from typing import Protocol

from reference_app.models import Post, User


class UserRepositoryPort(Protocol):
    """Storage of users."""

    async def get(self, user_id: int) -> User | None:
        """Return the user with this id, or None."""
        ...

    async def get_by_email(self, email: str) -> User | None:
        """Return the user with this email, or None."""
        ...

    async def get_by_username(self, username: str) -> User | None:
        """Return the user with this username, or None."""
        ...

    async def add(self, *, email: str, username: str, password_hash: str) -> User:
        """Store a new user; ConflictError when email or username is taken."""
        ...

    async def update(
        self,
        user: User,
        *,
        email: str | None = None,
        username: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        """Change the given fields; ConflictError when email or username is taken."""
        ...


class PostRepositoryPort(Protocol):
    """Storage of posts."""

    async def get(self, post_id: int) -> Post | None:
        """Return the post with this id, or None."""
        ...

    async def list_newest_first(self, *, limit: int, offset: int) -> Sequence[Post]:
        """Return one page of posts, newest first."""
        ...

    async def count(self) -> int:
        """Return the number of posts."""
        ...

    async def add(self, *, author_id: int, title: str, body: str) -> Post:
        """Store a new post."""
        ...

    async def update(
        self, post: Post, *, title: str | None = None, body: str | None = None
    ) -> Post:
        """Change the given fields."""
        ...

    async def delete(self, post: Post) -> None:
        """Remove the post."""
        ...


class DatabaseProbe(Protocol):
    """Something that can tell whether the database answers."""

    async def ping(self) -> None:
        """Return when the database answers; raise ServiceUnavailableError otherwise."""
        ...
