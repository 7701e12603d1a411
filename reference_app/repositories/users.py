"""Queries on users."""

from sqlalchemy import select

from reference_app.models import User
from reference_app.repositories.base import SqlRepository

TAKEN = "a user with this email or username already exists"


class UserRepository(SqlRepository):
    """Users in the database."""

    async def get(self, user_id: int) -> User | None:
        """Return the user with this id, or None."""
        return await self._session.get(User, user_id)

    async def get_by_email(self, email: str) -> User | None:
        """Return the user with this email, or None."""
        return await self._session.scalar(select(User).where(User.email == email))

    async def get_by_username(self, username: str) -> User | None:
        """Return the user with this username, or None."""
        return await self._session.scalar(select(User).where(User.username == username))

    async def add(self, *, email: str, username: str, password_hash: str) -> User:
        """Insert a user; ConflictError if another request took the email or username first."""
        user = User(email=email, username=username, password_hash=password_hash)
        self._session.add(user)
        await self._flush(TAKEN)
        return user

    async def update(
        self,
        user: User,
        *,
        email: str | None = None,
        username: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        """Change the given fields and flush, so a uniqueness race surfaces here."""
        if email is not None:
            user.email = email
        if username is not None:
            user.username = username
        if password_hash is not None:
            user.password_hash = password_hash
        await self._flush(TAKEN)
        return user
