"""The app factory. `uvicorn reference_app.main:app` serves `create_app()`.

Nothing here touches the database at import time: the engine, cache and hasher
are created in the lifespan and disposed when the app stops.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from reference_app.api import health
from reference_app.api.openapi import install_openapi
from reference_app.api.router import api_router
from reference_app.core.cache import build_cache
from reference_app.core.config import Settings, SettingsError, load_settings
from reference_app.core.database import Database
from reference_app.core.logging import configure_logging
from reference_app.core.middleware import install_middleware
from reference_app.core.migrations import upgrade_to_head
from reference_app.core.problem_details import install_problem_handlers
from reference_app.core.security import PasswordHasher, TokenCodec

logger = logging.getLogger(__name__)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the app's resources for its lifetime and close them after."""
    settings: Settings = app.state.settings
    database = Database(settings)
    cache = build_cache(settings.redis_url, prefix=settings.cache_key_prefix)
    try:
        if settings.migrate_on_startup:
            await upgrade_to_head(database.engine)
        app.state.database = database
        app.state.cache = cache
        app.state.password_hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost,
            memory_cost_kib=settings.argon2_memory_cost_kib,
            parallelism=settings.argon2_parallelism,
        )
        app.state.token_codec = TokenCodec(
            secret_key=settings.secret_key.get_secret_value(),
            expires_in=timedelta(minutes=settings.access_token_expire_minutes),
        )
        yield
    finally:
        await cache.close()
        await database.dispose()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `settings` defaults to the environment's."""
    settings = settings or load_settings()
    configure_logging(settings.log_level)
    if settings.secret_key_is_random:
        logger.warning(
            "SECRET_KEY is not set: using a random key for this process; "
            "tokens will not survive a restart"
        )
    app = FastAPI(
        title="arch-check reference app",
        version="0.1.0",
        description="Users, auth and posts, built layer by layer.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_problem_handlers(app)
    install_middleware(
        app,
        cors_origins=settings.cors_origins,
        https_only=settings.environment == "production",
    )
    app.include_router(health.router)
    app.include_router(api_router)
    install_openapi(app)
    return app


def _app_from_environment() -> FastAPI:
    """Create the served app; a bad setting exits with its one-line message."""
    try:
        return create_app()
    except SettingsError as exc:
        raise SystemExit(str(exc)) from None


app = _app_from_environment()
