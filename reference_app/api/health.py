"""Liveness and readiness probes, at the root (outside the versioned API)."""

from fastapi import APIRouter

from reference_app.api.dependencies import HealthServiceDep
from reference_app.api.responses import problem_responses
from reference_app.schemas.health import Health

router = APIRouter(prefix="/health", tags=["health"])


@router.get("")
async def liveness() -> Health:
    """Report that the process is up; touches nothing else."""
    return Health()


@router.get("/ready", responses=problem_responses(503))
async def readiness(health: HealthServiceDep) -> Health:
    """Report whether the app can reach its database."""
    return await health.readiness()
