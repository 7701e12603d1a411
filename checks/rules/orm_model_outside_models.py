"""ARC304 orm-model-outside-models."""

from __future__ import annotations

import libcst as cst

from checks.rules.base import Invalid, Rule, Valid


class OrmModelOutsideModelsRule(Rule):
    """Mapped classes defined in a module of another layer."""

    code = "ARC304"
    name = "orm-model-outside-models"
    summary = "ORM model class defined outside the models layer"
    rationale = (
        "What it does: reports a mapped ORM class (a subclass of a declarative base with a "
        "table, or an SQLModel class with `table=True`) defined in a module of another "
        "layer: a service, a repository, a schema module, core or the api. Declarative "
        "bases, abstract classes and mixins are not models and may live in core.\n\n"
        "Why it is bad: Alembic autogenerate and the import contracts find tables by "
        "where the models live; a table defined in `services/billing.py` is missed by "
        "migrations until something happens to import it, and it drags its layer's "
        "imports into every module that needs the model."
    )
    fix = (
        "Move the class to the models layer (`models/<name>.py`, or `<domain>/models.py` "
        "in a domain-first layout) and import it from there; keep the declarative base "
        "where it is."
    )
    reference = "reference_app/models/user.py"
    layers = frozenset({"api", "services", "repositories", "schemas", "core", "utils"})

    VALID = (
        Valid(
            """
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class TimestampMixin:
                created_at: Mapped[int] = mapped_column()

            class AuditBase(Base):
                __abstract__ = True
                id: Mapped[int] = mapped_column(primary_key=True)
            """,
            path="app/core/database.py",
            note="the declarative base, an abstract base and a mixin belong in core",
        ),
        Valid(
            """
            from sqlmodel import SQLModel

            class ItemBase(SQLModel):
                title: str

            class ItemCreate(ItemBase):
                pass
            """,
            path="app/schemas/item.py",
            note="SQLModel classes without table=True are schemas",
        ),
        Valid(
            """
            from sqlalchemy.orm import Mapped, mapped_column
            from app.models.base import Base

            class User(Base):
                __tablename__ = "users"
                id: Mapped[int] = mapped_column(primary_key=True)
            """,
            path="app/users/models.py",
            files={
                "app/models/base.py": (
                    "from sqlalchemy.orm import DeclarativeBase\n"
                    "class Base(DeclarativeBase):\n    pass\n"
                )
            },
            note="domain-first models module",
        ),
    )
    INVALID = (
        Invalid(
            """
            from sqlalchemy.orm import Mapped, mapped_column
            from app.models.base import Base

            class Invoice(Base):
                __tablename__ = "invoices"
                id: Mapped[int] = mapped_column(primary_key=True)

            class BillingService:
                def __init__(self, repo) -> None:
                    self.repo = repo
            """,
            path="app/services/billing.py",
            files={
                "app/models/base.py": (
                    "from sqlalchemy.orm import DeclarativeBase\n"
                    "class Base(DeclarativeBase):\n    pass\n"
                )
            },
            line=5,
        ),
        Invalid(
            """
            from sqlmodel import Field, SQLModel

            class HeroBase(SQLModel):
                name: str

            class Hero(HeroBase, table=True):
                id: int | None = Field(default=None, primary_key=True)

            class HeroPublic(HeroBase):
                id: int
            """,
            path="app/heroes/schemas.py",
            line=7,
            note="an SQLModel table class among the schemas",
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """Report a mapped class (module or class level) outside the models layer."""
        ctx = self.ctx
        if ctx.function is not None:
            return
        name = ctx.index.canonical(f"{ctx.summary.module}.{ctx.scope_name()}")
        if name in ctx.index.orm_models:
            self.report(
                node.name,
                f"ORM model {node.name.value} is defined in the {ctx.layer} layer; move it "
                "to the models layer",
            )
