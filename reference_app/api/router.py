"""The versioned API: every v1 router under one `/api/v1` prefix (no sub-app)."""

from fastapi import APIRouter

from reference_app.api.responses import problem_responses
from reference_app.api.v1 import auth, posts, users

# 400: a body that is not JSON at all (FastAPI rejects it before validation).
api_router = APIRouter(prefix="/api/v1", responses=problem_responses(400, 422, 500))
api_router.include_router(auth.router)
api_router.include_router(users.router)
api_router.include_router(posts.router)
