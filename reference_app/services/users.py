"""User accounts: registration, lookup (cached) and self-service changes."""

from reference_app.core.cache import Cache
from reference_app.core.exceptions import ConflictError, NotFoundError
from reference_app.core.security import PasswordHasher
from reference_app.schemas.user import UserCreate, UserRead, UserUpdate
from reference_app.services.ports import UserRepositoryPort


def user_cache_key(user_id: int) -> str:
    """Key of a user's cached read model."""
    return f"user:{user_id}"


class UserService:
    """Business rules for user accounts."""

    def __init__(
        self,
        users: UserRepositoryPort,
        *,
        hasher: PasswordHasher,
        cache: Cache,
        cache_ttl_seconds: int,
    ) -> None:
        self._users = users
        self._hasher = hasher
        self._cache = cache
        self._cache_ttl_seconds = cache_ttl_seconds

    async def register(self, data: UserCreate) -> UserRead:
        """Create an account; email and username must both be free."""
        await self._ensure_email_free(data.email)
        await self._ensure_username_free(data.username)
        user = await self._users.add(
            email=data.email,
            username=data.username,
            password_hash=await self._hasher.hash(data.password),
        )
        return UserRead.model_validate(user)

    async def get(self, user_id: int) -> UserRead:
        """Return a user, from the cache when it holds one."""
        key = user_cache_key(user_id)
        cached = await self._cache.get(key)
        if cached is not None:
            return UserRead.model_validate_json(cached)
        user = await self._users.get(user_id)
        if user is None:
            raise NotFoundError(f"user {user_id} does not exist")
        read = UserRead.model_validate(user)
        await self._cache.set(key, read.model_dump_json(), self._cache_ttl_seconds)
        return read

    async def update(self, user_id: int, changes: UserUpdate) -> UserRead:
        """Apply a user's changes to their own account and drop the cached copy."""
        user = await self._users.get(user_id)
        if user is None:
            raise NotFoundError(f"user {user_id} does not exist")
        if changes.email is not None and changes.email != user.email:
            await self._ensure_email_free(changes.email)
        if changes.username is not None and changes.username != user.username:
            await self._ensure_username_free(changes.username)
        password_hash = None
        if changes.password is not None:
            password_hash = await self._hasher.hash(changes.password)
        user = await self._users.update(
            user, email=changes.email, username=changes.username, password_hash=password_hash
        )
        await self._cache.delete(user_cache_key(user_id))
        return UserRead.model_validate(user)

    async def _ensure_email_free(self, email: str) -> None:
        if await self._users.get_by_email(email) is not None:
            raise ConflictError("a user with this email already exists")

    async def _ensure_username_free(self, username: str) -> None:
        if await self._users.get_by_username(username) is not None:
            raise ConflictError("a user with this username already exists")
