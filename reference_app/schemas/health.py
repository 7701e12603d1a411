"""Health check responses."""

from typing import Literal

from pydantic import BaseModel


class Health(BaseModel):
    """The service is up (liveness) or can reach its database (readiness)."""

    status: Literal["ok"] = "ok"
