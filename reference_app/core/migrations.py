"""Apply the Alembic migrations from the app (development default) and from tests.

Production runs `alembic upgrade head` as a deploy step instead (`AUTO_MIGRATE`).
The scripts live in `alembic/` beside this package, as in a source checkout.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"


def alembic_config() -> Config:
    """Return the project's Alembic configuration."""
    return Config(str(ALEMBIC_INI))


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Upgrade the database behind `engine` to the latest revision, in one transaction."""
    async with engine.begin() as connection:
        await connection.run_sync(_upgrade, alembic_config())


def _upgrade(connection: Connection, config: Config) -> None:
    # env.py uses this connection instead of opening its own (Alembic's asyncio recipe).
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
