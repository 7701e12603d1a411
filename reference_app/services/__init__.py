"""Services: the business rules (uniqueness, ownership, password checks).

What belongs here: decisions. What does not: HTTP (fastapi, starlette), queries
and sessions (sqlalchemy). Repositories arrive through the constructor, typed
against the protocols in `ports`; services raise `core.exceptions` errors and
return read schemas, never ORM objects. Services may import repositories' ports,
models, schemas, core and utils; never api.
"""
