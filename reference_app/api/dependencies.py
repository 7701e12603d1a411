"""The composition root: per request, wire session -> repositories -> services.

The app-wide resources (database, cache, hasher, token codec) are created in the
lifespan and kept on `app.state`; this module is the only place in the api layer
that touches repositories and sessions.
"""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.core.cache import Cache
from reference_app.core.config import Settings
from reference_app.core.database import Database
from reference_app.core.security import PasswordHasher, TokenCodec
from reference_app.repositories.posts import PostRepository
from reference_app.repositories.users import UserRepository
from reference_app.schemas.user import UserRead
from reference_app.services.auth import AuthService
from reference_app.services.health import HealthService
from reference_app.services.posts import PostService
from reference_app.services.users import UserService

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a password
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL)


def get_settings(request: Request) -> Settings:
    """Return the settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


def get_database(request: Request) -> Database:
    """Return the engine and session factory opened by the lifespan."""
    database: Database = request.app.state.database
    return database


def get_cache(request: Request) -> Cache:
    """Return the cache opened by the lifespan."""
    cache: Cache = request.app.state.cache
    return cache


def get_password_hasher(request: Request) -> PasswordHasher:
    """Return the password hasher built by the lifespan."""
    hasher: PasswordHasher = request.app.state.password_hasher
    return hasher


def get_token_codec(request: Request) -> TokenCodec:
    """Return the access token codec built by the lifespan."""
    tokens: TokenCodec = request.app.state.token_codec
    return tokens


async def get_session(
    database: Annotated[Database, Depends(get_database)],
) -> AsyncIterator[AsyncSession]:
    """One session per request, one unit of work: commit on success, roll back on error."""
    async with database.sessionmaker() as session:
        try:
            yield session
        except Exception:
            await session.rollback()
            raise
        await session.commit()


# scope="function": the commit runs before the response is sent, so a failed commit
# becomes an error response instead of a success the database never saw.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]
PasswordHasherDep = Annotated[PasswordHasher, Depends(get_password_hasher)]


def get_user_service(
    session: SessionDep,
    hasher: PasswordHasherDep,
    cache: Annotated[Cache, Depends(get_cache)],
    settings: SettingsDep,
) -> UserService:
    """Build the user service on this request's session."""
    return UserService(
        UserRepository(session),
        hasher=hasher,
        cache=cache,
        cache_ttl_seconds=settings.cache_ttl_seconds,
    )


def get_auth_service(
    session: SessionDep,
    hasher: PasswordHasherDep,
    tokens: Annotated[TokenCodec, Depends(get_token_codec)],
) -> AuthService:
    """Build the auth service on this request's session."""
    return AuthService(UserRepository(session), hasher=hasher, tokens=tokens)


def get_post_service(session: SessionDep) -> PostService:
    """Build the post service on this request's session."""
    return PostService(PostRepository(session))


def get_health_service(database: Annotated[Database, Depends(get_database)]) -> HealthService:
    """Build the health service probing the app's database."""
    return HealthService(database)


UserServiceDep = Annotated[UserService, Depends(get_user_service)]
AuthServiceDep = Annotated[AuthService, Depends(get_auth_service)]
PostServiceDep = Annotated[PostService, Depends(get_post_service)]
HealthServiceDep = Annotated[HealthService, Depends(get_health_service)]


async def get_current_user(
    token: Annotated[str, Depends(oauth2_scheme)], auth: AuthServiceDep
) -> UserRead:
    """Return the bearer token's user; 401 with `WWW-Authenticate: Bearer` otherwise."""
    return await auth.current_user(token)


CurrentUser = Annotated[UserRead, Depends(get_current_user)]
