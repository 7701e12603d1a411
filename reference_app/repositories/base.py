"""What every repository shares: its session and a flush that maps integrity errors."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from reference_app.core.exceptions import ConflictError


class SqlRepository:
    """A repository working on the session of the current unit of work."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def _flush(self, conflict: str) -> None:
        """Flush pending changes; a unique or foreign key violation becomes ConflictError."""
        try:
            await self._session.flush()
        except IntegrityError as exc:
            raise ConflictError(conflict) from exc
