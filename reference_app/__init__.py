"""Reference FastAPI backend: users, auth and posts, built layer by layer.

Read it top-down: `main.py` (the app factory), then `api/`, `services/`,
`repositories/`, `models/`, with `schemas/` carrying data between them and
`core/` and `utils/` underneath. Each package's docstring says what belongs there.
"""
