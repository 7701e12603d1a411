"""In-memory fakes of the repository ports, and services built on them.

The fakes are real classes that keep rows in dicts and return transient ORM
objects, so services run exactly as in production, minus the database.
"""

import itertools
from collections.abc import Sequence
from datetime import timedelta

import pytest

from reference_app.core.cache import InMemoryCache
from reference_app.core.exceptions import ConflictError
from reference_app.core.security import PasswordHasher, TokenCodec
from reference_app.models import Post, User
from reference_app.services.auth import AuthService
from reference_app.services.posts import PostService
from reference_app.services.users import UserService
from reference_app.utils.time import utc_now

TEST_KEY = "unit-test-secret-key-long-enough-for-hs256"


class FakeUserRepository:
    """Users in a dict, with the unique constraints of the real table."""

    def __init__(self) -> None:
        self.rows: dict[int, User] = {}
        self._ids = itertools.count(1)
        self.reads = 0

    async def get(self, user_id: int) -> User | None:
        self.reads += 1
        return self.rows.get(user_id)

    async def get_by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    async def get_by_username(self, username: str) -> User | None:
        return next((u for u in self.rows.values() if u.username == username), None)

    async def add(self, *, email: str, username: str, password_hash: str) -> User:
        self._check_unique(None, email, username)
        now = utc_now()
        user = User(
            id=next(self._ids),
            email=email,
            username=username,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
        self.rows[user.id] = user
        return user

    async def update(
        self,
        user: User,
        *,
        email: str | None = None,
        username: str | None = None,
        password_hash: str | None = None,
    ) -> User:
        self._check_unique(user.id, email, username)
        if email is not None:
            user.email = email
        if username is not None:
            user.username = username
        if password_hash is not None:
            user.password_hash = password_hash
        user.updated_at = utc_now()
        return user

    def _check_unique(self, own_id: int | None, email: str | None, username: str | None) -> None:
        for other in self.rows.values():
            if other.id != own_id and (other.email == email or other.username == username):
                raise ConflictError("a user with this email or username already exists")


class FakePostRepository:
    """Posts in a dict."""

    def __init__(self) -> None:
        self.rows: dict[int, Post] = {}
        self._ids = itertools.count(1)

    async def get(self, post_id: int) -> Post | None:
        return self.rows.get(post_id)

    async def list_newest_first(self, *, limit: int, offset: int) -> Sequence[Post]:
        newest_first = sorted(self.rows.values(), key=lambda post: post.id, reverse=True)
        return newest_first[offset : offset + limit]

    async def count(self) -> int:
        return len(self.rows)

    async def add(self, *, author_id: int, title: str, body: str) -> Post:
        now = utc_now()
        post = Post(
            id=next(self._ids),
            author_id=author_id,
            title=title,
            body=body,
            created_at=now,
            updated_at=now,
        )
        self.rows[post.id] = post
        return post

    async def update(
        self, post: Post, *, title: str | None = None, body: str | None = None
    ) -> Post:
        if title is not None:
            post.title = title
        if body is not None:
            post.body = body
        post.updated_at = utc_now()
        return post

    async def delete(self, post: Post) -> None:
        del self.rows[post.id]


def cheap_hasher(time_cost: int = 1) -> PasswordHasher:
    """Argon2id at its cheapest, so unit tests stay fast."""
    return PasswordHasher(time_cost=time_cost, memory_cost_kib=8, parallelism=1)


@pytest.fixture
def user_repo() -> FakeUserRepository:
    return FakeUserRepository()


@pytest.fixture
def post_repo() -> FakePostRepository:
    return FakePostRepository()


@pytest.fixture
def hasher() -> PasswordHasher:
    return cheap_hasher()


@pytest.fixture
def hasher_factory():
    """`cheap_hasher(time_cost)`: a hasher with other parameters."""
    return cheap_hasher


@pytest.fixture
def token_factory():
    """`token_factory(subject, key=TEST_KEY, seconds=300)`: a token like the app's."""

    def issue(subject: str, key: str = TEST_KEY, seconds: int = 300) -> str:
        return TokenCodec(secret_key=key, expires_in=timedelta(seconds=seconds)).issue(subject)

    return issue


@pytest.fixture
def cache() -> InMemoryCache:
    return InMemoryCache()


@pytest.fixture
def tokens() -> TokenCodec:
    return TokenCodec(secret_key=TEST_KEY, expires_in=timedelta(minutes=5))


@pytest.fixture
def user_service(user_repo, hasher, cache) -> UserService:
    return UserService(user_repo, hasher=hasher, cache=cache, cache_ttl_seconds=60)


@pytest.fixture
def auth_service(user_repo, hasher, tokens) -> AuthService:
    return AuthService(user_repo, hasher=hasher, tokens=tokens)


@pytest.fixture
def post_service(post_repo) -> PostService:
    return PostService(post_repo)
