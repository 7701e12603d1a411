"""Schemas: the Pydantic models requests are validated into and responses built from.

What belongs here: request bodies, read models (`from_attributes`, so services can
build them from ORM rows), the generic page. What does not: ORM models, queries,
rules that need the database. Schemas import only utils, so any layer may use them.
Read models never carry a password or its hash.
"""
