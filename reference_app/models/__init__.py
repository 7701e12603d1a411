"""Models: the SQLAlchemy ORM classes, one table per module.

What belongs here: tables, columns, constraints, relationships. What does not:
queries (repositories), validation of input (schemas), business rules (services).
Models may import core and utils only; never pydantic or fastapi.
"""

from reference_app.models.base import Base
from reference_app.models.post import Post
from reference_app.models.user import User

__all__ = ["Base", "Post", "User"]
