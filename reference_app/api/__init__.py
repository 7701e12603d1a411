"""API: thin routers that turn HTTP into service calls and schemas back into HTTP.

What belongs here: path operations that receive validated input and services
through `Annotated[..., Depends()]`, call one service method and return a schema;
`dependencies.py`, the composition root that builds services. What does not:
business rules, queries, sessions, ORM models. Routers may import services,
schemas, core and utils; only `dependencies.py` may import repositories and
`core.database`.
"""
