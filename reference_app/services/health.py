"""Readiness: the app can serve requests when its database answers."""

from reference_app.schemas.health import Health
from reference_app.services.ports import DatabaseProbe


class HealthService:
    """Checks the app's dependencies."""

    def __init__(self, database: DatabaseProbe) -> None:
        self._database = database

    async def readiness(self) -> Health:
        """Return ok when the database answers; ServiceUnavailableError otherwise."""
        await self._database.ping()
        return Health()
