"""Repositories: every query, on the request's `AsyncSession`.

What belongs here: select/insert/update/delete through SQLAlchemy, turning a
unique-constraint race into `ConflictError`. What does not: business rules,
schemas, HTTP. Repositories flush but never commit: the request's unit of work
(`api/dependencies.py`) commits or rolls back. They may import models, core and
utils; never services, schemas or api.
"""
