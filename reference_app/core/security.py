"""Password hashing (argon2id through pwdlib) and access tokens (PyJWT).

Hashing is CPU-bound, so the async methods run it in a worker thread and never
block the event loop.
"""

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from reference_app.core.exceptions import AuthenticationError

# Pinned: the algorithm is never read from the token header.
JWT_ALGORITHM = "HS256"


class PasswordHasher:
    """Hash and verify passwords with argon2id at the configured cost."""

    def __init__(self, *, time_cost: int, memory_cost_kib: int, parallelism: int) -> None:
        self._hash = PasswordHash(
            (
                Argon2Hasher(
                    time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
                ),
            )
        )
        # Verified against for unknown users, so a login costs the same either way.
        self._dummy_hash = self._hash.hash(secrets.token_urlsafe(16))

    async def hash(self, password: str) -> str:
        """Return the argon2id hash of `password`."""
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify_and_update(self, password: str, password_hash: str) -> tuple[bool, str | None]:
        """Check a password; also return a new hash when the stored one uses old parameters."""
        return await asyncio.to_thread(self._hash.verify_and_update, password, password_hash)

    async def dummy_verify(self, password: str) -> None:
        """Spend the time of a real verification, for an account that does not exist."""
        await asyncio.to_thread(self._hash.verify, password, self._dummy_hash)


class TokenCodec:
    """Issue and check signed access tokens whose subject is a user id."""

    def __init__(self, *, secret_key: str, expires_in: timedelta) -> None:
        self._secret_key = secret_key
        self._expires_in = expires_in

    def issue(self, subject: str) -> str:
        """Return a token for `subject` that expires after the configured time."""
        now = datetime.now(UTC)
        claims = {"sub": subject, "iat": now, "exp": now + self._expires_in}
        return jwt.encode(claims, self._secret_key, algorithm=JWT_ALGORITHM)

    def subject(self, token: str) -> str:
        """Return the token's subject; raise AuthenticationError unless it is valid."""
        try:
            claims = jwt.decode(
                token,
                self._secret_key,
                algorithms=[JWT_ALGORITHM],
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.InvalidTokenError as exc:
            raise AuthenticationError("invalid or expired token") from exc
        return str(claims["sub"])
