"""Generate a synthetic FastAPI repository of about a chosen size, for benchmarks.

Each domain (orders, invoices, ...) gets a model, schemas, a repository, a service
and a router written the way the reference app does it, in either layout:
layer-first (`app/services/orders.py`) or domain-first (`app/orders/service.py`).
One domain in VIOLATION_EVERY carries a typical violation, so the rules have
something to report.

    python bench/generate.py bench/out/layer-100k --lines 100000 --layout layer
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

VIOLATION_EVERY = 13
_WORDS = [
    "order",
    "invoice",
    "payment",
    "customer",
    "product",
    "shipment",
    "refund",
    "coupon",
    "review",
    "ticket",
    "address",
    "contract",
    "device",
    "report",
    "session",
    "tenant",
    "plan",
    "quota",
    "alert",
    "webhook",
]

_MODEL = '''\
"""The {name} table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base


class {cls}(Base):
    """A {name} row."""

    __tablename__ = "{name}s"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
{fields}
'''

_SCHEMAS = '''\
"""Request and response bodies of the {name} API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class {cls}Create(BaseModel):
    """What a client sends to create a {name}."""

{create_fields}


class {cls}Update(BaseModel):
    """Fields a client may change."""

{update_fields}


class {cls}Out(BaseModel):
    """What the API returns for a {name}."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    owner_id: int
    created_at: datetime
{create_fields}
'''

_REPOSITORY = '''\
"""Data access for {name}s."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from {models} import {cls}


class {cls}Repository:
    """Queries on the {name}s table; the caller owns the transaction."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, {name}_id: int) -> {cls} | None:
        return await self.session.get({cls}, {name}_id)

    async def list_for_owner(self, owner_id: int, limit: int, offset: int) -> Sequence[{cls}]:
        query = (
            select({cls})
            .where({cls}.owner_id == owner_id)
            .order_by({cls}.id)
            .limit(limit)
            .offset(offset)
        )
        result = await self.session.scalars(query)
        return result.all()

    async def count_for_owner(self, owner_id: int) -> int:
        query = select(func.count()).select_from({cls}).where({cls}.owner_id == owner_id)
        return int(await self.session.scalar(query) or 0)

    async def add(self, {name}: {cls}) -> {cls}:
        self.session.add({name})
        await self.session.flush()
        return {name}

    async def delete(self, {name}: {cls}) -> None:
        await self.session.delete({name})
        await self.session.flush()
{queries}
'''

_SERVICE = '''\
"""Business rules for {name}s."""

from __future__ import annotations

from collections.abc import Sequence

from app.core.exceptions import NotFoundError, PermissionDeniedError
from {models} import {cls}
from {repositories} import {cls}Repository
from {schemas} import {cls}Create, {cls}Update
{bad_import}

class {cls}Service:
    """Use cases of {name}s."""

    def __init__(self, repository: {cls}Repository) -> None:
        self.repository = repository

    async def get(self, {name}_id: int, owner_id: int) -> {cls}:
        {name} = await self.repository.get({name}_id)
        if {name} is None:
            raise NotFoundError("{name}", {name}_id)
        if {name}.owner_id != owner_id:
            raise PermissionDeniedError("{name}", {name}_id)
        return {name}

    async def list(self, owner_id: int, limit: int, offset: int) -> Sequence[{cls}]:
        return await self.repository.list_for_owner(owner_id, limit, offset)

    async def create(self, owner_id: int, data: {cls}Create) -> {cls}:
        {name} = {cls}(owner_id=owner_id, **data.model_dump())
        return await self.repository.add({name})

    async def update(self, {name}_id: int, owner_id: int, data: {cls}Update) -> {cls}:
        {name} = await self.get({name}_id, owner_id)
        for field, value in data.model_dump(exclude_unset=True).items():
            setattr({name}, field, value)
        return {name}

    async def delete(self, {name}_id: int, owner_id: int) -> None:
        {name} = await self.get({name}_id, owner_id)
        await self.repository.delete({name})
{rules}
'''

_ROUTER = '''\
"""HTTP endpoints of {name}s."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from app.core.security import CurrentUser
from {schemas} import {cls}Create, {cls}Out, {cls}Update
from {services} import {cls}Service
{bad_import}
router = APIRouter(prefix="/{name}s", tags=["{name}s"])


def get_{name}_service() -> {cls}Service:
    raise NotImplementedError  # wired by the composition root


Service = Annotated[{cls}Service, Depends(get_{name}_service)]


@router.get("/{{{name}_id}}", response_model={cls}Out)
async def get_{name}({name}_id: int, user: CurrentUser, service: Service) -> {cls}Out:
    return {cls}Out.model_validate(await service.get({name}_id, user.id))


@router.get("", response_model=list[{cls}Out])
async def list_{name}s(user: CurrentUser, service: Service, limit: int = 50, offset: int = 0):
    return [{cls}Out.model_validate(item) for item in await service.list(user.id, limit, offset)]


@router.post("", response_model={cls}Out, status_code=status.HTTP_201_CREATED)
async def create_{name}(data: {cls}Create, user: CurrentUser, service: Service) -> {cls}Out:
    return {cls}Out.model_validate(await service.create(user.id, data))


@router.patch("/{{{name}_id}}", response_model={cls}Out)
async def update_{name}(
    {name}_id: int, data: {cls}Update, user: CurrentUser, service: Service
) -> {cls}Out:
    return {cls}Out.model_validate(await service.update({name}_id, user.id, data))


@router.delete("/{{{name}_id}}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_{name}({name}_id: int, user: CurrentUser, service: Service) -> Response:
    await service.delete({name}_id, user.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
{extra_routes}
'''

_CORE = {
    "core/__init__.py": "",
    "core/database.py": (
        '"""Engine, sessions and the declarative base."""\n\n'
        "from sqlalchemy.orm import DeclarativeBase\n\n\n"
        "class Base(DeclarativeBase):\n"
        '    """Base of every ORM model."""\n'
    ),
    "core/exceptions.py": (
        '"""Domain errors."""\n\n\n'
        "class NotFoundError(Exception):\n"
        '    """A missing entity."""\n\n\n'
        "class PermissionDeniedError(Exception):\n"
        '    """Another owner\'s entity."""\n'
    ),
    "core/security.py": (
        '"""The current user."""\n\n'
        "from typing import Annotated\n\n"
        "from fastapi import Depends\n\n\n"
        "class User:\n"
        "    id: int\n\n\n"
        "def current_user() -> User:\n"
        "    raise NotImplementedError\n\n\n"
        "CurrentUser = Annotated[User, Depends(current_user)]\n"
    ),
    "utils/__init__.py": "",
    "utils/text.py": 'def slug(text: str) -> str:\n    return "-".join(text.lower().split())\n',
    "__init__.py": "",
}


def _domain_names(count: int) -> list[str]:
    names = []
    for number in range(count):
        word = _WORDS[number % len(_WORDS)]
        names.append(word if number < len(_WORDS) else f"{word}{number // len(_WORDS)}")
    return names


def _paths(name: str, layout: str) -> dict[str, str]:
    if layout == "layer":
        return {
            "models": f"models/{name}.py",
            "schemas": f"schemas/{name}.py",
            "repositories": f"repositories/{name}.py",
            "services": f"services/{name}.py",
            "api": f"api/v1/{name}.py",
        }
    return {
        "models": f"{name}/models.py",
        "schemas": f"{name}/schemas.py",
        "repositories": f"{name}/repository.py",
        "services": f"{name}/service.py",
        "api": f"{name}/router.py",
    }


def _module(path: str) -> str:
    return "app." + path.removesuffix(".py").replace("/", ".")


def domain_files(name: str, layout: str, size: int, with_violation: bool) -> dict[str, str]:
    """The five modules of one domain; `size` scales the number of fields and methods."""
    cls = name.capitalize()
    paths = _paths(name, layout)
    modules = {layer: _module(path) for layer, path in paths.items()}
    fields = "\n".join(
        f'    field_{i}: Mapped[str] = mapped_column(String(120), default="")'
        for i in range(size * 2)
    )
    create_fields = "\n".join(
        f"    field_{i}: str = Field(max_length=120)" for i in range(size * 2)
    )
    update_fields = "\n".join(f"    field_{i}: str | None = None" for i in range(size * 2))
    queries = "".join(
        f"\n    async def find_by_field_{i}(self, value: str) -> Sequence[{cls}]:\n"
        f"        query = select({cls}).where({cls}.field_{i} == value).order_by({cls}.id)\n"
        f"        result = await self.session.scalars(query)\n"
        f"        return result.all()\n"
        for i in range(size)
    )
    rules = "".join(
        f"\n    async def find_by_field_{i}(self, owner_id: int, value: str) -> list[{cls}]:\n"
        f"        found = await self.repository.find_by_field_{i}(value.strip())\n"
        f"        return [item for item in found if item.owner_id == owner_id]\n"
        for i in range(size)
    )
    extra_routes = "".join(
        f'\n\n@router.get("/by-field-{i}/{{value}}", response_model=list[{cls}Out])\n'
        f"async def find_{name}s_by_field_{i}(value: str, user: CurrentUser, service: Service):\n"
        f"    found = await service.find_by_field_{i}(user.id, value)\n"
        f"    return [{cls}Out.model_validate(item) for item in found]\n"
        for i in range(size)
    )
    bad_service = "from fastapi import HTTPException\n" if with_violation else ""
    bad_router = (
        f"from {modules['repositories']} import {cls}Repository\n" if with_violation else ""
    )
    values = {
        "name": name,
        "cls": cls,
        "models": modules["models"],
        "schemas": modules["schemas"],
        "repositories": modules["repositories"],
        "services": modules["services"],
        "fields": fields,
        "create_fields": create_fields,
        "update_fields": update_fields,
        "queries": queries,
        "rules": rules,
        "extra_routes": extra_routes,
    }
    return {
        paths["models"]: _MODEL.format(**values),
        paths["schemas"]: _SCHEMAS.format(**values),
        paths["repositories"]: _REPOSITORY.format(**values),
        paths["services"]: _SERVICE.format(**values, bad_import=bad_service),
        paths["api"]: _ROUTER.format(**values, bad_import=bad_router),
    }


def generate(folder: Path, lines: int, layout: str) -> int:
    """Write the repository under `folder` (replacing it); return its line count."""
    if folder.exists():
        shutil.rmtree(folder)
    size = 6
    per_domain = sum(
        text.count("\n") for text in domain_files("sample", layout, size, False).values()
    )
    count = max(1, round(lines / per_domain))
    files = {f"app/{path}": text for path, text in _CORE.items()}
    for number, name in enumerate(_domain_names(count)):
        violation = number % VIOLATION_EVERY == 1
        for path, text in domain_files(name, layout, size, violation).items():
            files[f"app/{path}"] = text
    total = 0
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        total += text.count("\n")
    for path in files:
        for package in (folder / path).parents:
            if package == folder:
                break
            (package / "__init__.py").touch()
    (folder / "pyproject.toml").write_text('[tool.arch-check]\nroot = "app"\n', encoding="utf-8")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--layout", choices=("layer", "domain"), default="layer")
    options = parser.parse_args()
    total = generate(options.folder, options.lines, options.layout)
    print(f"{options.folder}: {total} lines ({options.layout}-first)")


if __name__ == "__main__":
    main()
