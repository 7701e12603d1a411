"""ARC501 plaintext-password: a password stored, assigned or compared as typed, not hashed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

import libcst as cst

from checks.analysis.names import dotted, keyword, literal_string, positional
from checks.analysis.walk import iter_nodes
from checks.rules.base import Invalid, Rule, Valid
from checks.rules.secret_common import (
    is_hash_name,
    is_password_name,
    is_plain_password_name,
    not_secret_type,
    owner,
    owner_text,
    read_name,
    words,
)

if TYPE_CHECKING:
    from checks.analysis.index import ProjectIndex

_MODELS = "app/models/user.py"
_SERVICE = "app/services/users.py"
_USER_MODEL = """
from sqlalchemy.orm import DeclarativeBase, Mapped

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    email: Mapped[str]
    hashed_password: Mapped[str]
"""
# Column types that do not hold typed text: bcrypt hashes are often stored as bytes.
_NON_TEXT_COLUMNS = frozenset(
    {"LargeBinary", "BINARY", "VARBINARY", "BLOB", "BYTEA", "Boolean", "DateTime", "Integer"}
)
# Libraries and function names that hash passwords: a project using one stores hashes.
_HASH_LIBRARIES = frozenset({"passlib", "bcrypt", "pwdlib", "argon2", "fastapi_users"})
_HASH_FUNCTION = re.compile(r"(hash|encrypt|crypt).*(password|pwd)|(password|pwd).*hash|hashpw")
# Owner names of a stored account, in code whose types are not declared.
_ACCOUNT_NAMES = frozenset(
    {"user", "db_user", "current_user", "account", "existing", "existing_user", "db_obj"}
)
# Leaf node classes, tested by exact type on every comparison (isinstance() is slower).
_EQUALITY_OPERATORS = frozenset({cst.Equal, cst.NotEqual})
_STRING_LITERALS = frozenset({cst.SimpleString, cst.ConcatenatedString, cst.FormattedString})
# Words of two typed passwords compared to each other (a confirmation), not to a stored one.
_CONFIRMATION_WORDS = frozenset(
    {"confirm", "confirmation", "confirmed", "repeat", "again", "retype", "new", "old", "2"}
)


class PlaintextPasswordRule(Rule):
    """Reports password columns without hashing, typed passwords stored, and `==` on passwords."""

    code = "ARC501"
    name = "plaintext-password"
    summary = "A password stored or compared in plain text"
    rationale = (
        "Flags three ways a password ends up in plain text: an ORM column named `password` "
        "(not `password_hash`) in a project that hashes no password anywhere (no passlib, "
        "bcrypt, pwdlib or argon2, no `hash_password` function); a request's password "
        "assigned to a model field as typed (`User(password=data.password)`, "
        "`user.hashed_password = payload.password`); and passwords compared with `==` or "
        "`!=`. A database dump, a backup or one SQL injection then hands every account, and "
        "every other site where users reuse the password, to whoever reads it; `==` also "
        "leaks through timing how much of a guess was right. A request schema's "
        "`password: str` is input, not storage, and is not reported."
    )
    fix = (
        "Store only a slow salted hash (argon2id through pwdlib, or bcrypt) in a column "
        "named `password_hash`: `User(password_hash=hasher.hash(data.password))`; check a "
        "login with the hasher's `verify(password, user.password_hash)`, which compares in "
        "constant time."
    )
    reference = "reference_app/services/users.py"
    VALID: ClassVar = (
        Valid(
            """
            from sqlalchemy import String
            from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

            class Base(DeclarativeBase):
                pass

            class User(Base):
                __tablename__ = "users"
                id: Mapped[int] = mapped_column(primary_key=True)
                password_hash: Mapped[str] = mapped_column(String(255))
                password_changed_at: Mapped[int | None]
                must_change_password: Mapped[bool] = mapped_column(default=False)
            """,
            path=_MODELS,
            note="a hash column, and columns about the password that are not the password",
        ),
        Valid(
            """
            from pydantic import BaseModel, model_validator

            class UserCreate(BaseModel):
                email: str
                password: str
                password_confirm: str

                @model_validator(mode="after")
                def _same(self) -> "UserCreate":
                    if self.password != self.password_confirm:
                        raise ValueError("passwords do not match")
                    return self
            """,
            path="app/schemas/user.py",
            note="a request schema's password is input; comparing it to its confirmation is fine",
        ),
        Valid(
            """
            from app.core.security import hash_password, verify_password
            from app.models.user import User
            from app.schemas.user import UserCreate

            class UserService:
                def __init__(self, hasher) -> None:
                    self.hasher = hasher

                def create(self, data: UserCreate) -> User:
                    return User(email=data.email, hashed_password=hash_password(data.password))

                def set_password(self, user: User, new_password: str) -> None:
                    user.hashed_password = self.hasher.hash(new_password)

                def check(self, user: User, password: str) -> bool:
                    return verify_password(password, user.hashed_password)
            """,
            path=_SERVICE,
            files={_MODELS: _USER_MODEL, "app/core/security.py": ""},
            note="hashed before it is stored; verified by the hasher",
        ),
        Valid(
            """
            import bcrypt
            from sqlalchemy import Column, Integer, LargeBinary, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()

            class Account(Base):
                __tablename__ = "accounts"
                id = Column(Integer, primary_key=True)
                password = Column(LargeBinary, nullable=False)

                def set_password(self, raw: str) -> None:
                    self.password = bcrypt.hashpw(raw.encode(), bcrypt.gensalt())

            class Member(Base):
                __tablename__ = "members"
                id = Column(Integer, primary_key=True)
                password = Column(String(256))
                salt = Column(LargeBinary(255))
            """,
            path=_MODELS,
            note="password columns the model hashes itself, or stores beside their salt",
        ),
        Valid(
            """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()

            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                password = Column(String(100))
            """,
            path=_MODELS,
            files={
                "app/core/security.py": """
                    from pwdlib import PasswordHash

                    def get_password_hash(password: str) -> str:
                        return PasswordHash.recommended().hash(password)
                """
            },
            note="a column named password in a project that hashes passwords: it holds the hash",
        ),
        Valid(
            """
            from sqlmodel import Field, SQLModel
            from app.core.security import hash_password

            class UserCreate(SQLModel):
                email: str
                password: str

            class User(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                email: str
                hashed_password: str

            class Account(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                email: str
                password: str

            def create_user(user_in: UserCreate) -> User:
                extra = {"hashed_password": hash_password(user_in.password)}
                return User.model_validate(user_in, update=extra)

            def create_account(data: UserCreate) -> Account:
                hashed = hash_password(data.password)
                account = Account(**data.model_dump(exclude={"password"}), password=hashed)
                also = Account.model_validate(data, update={"password": hashed})
                return account or also

            def register(data: UserCreate) -> Account:
                data.password = hash_password(data.password)
                return Account(**data.model_dump())
            """,
            path="app/users/repository.py",
            files={"app/core/security.py": "def hash_password(password: str) -> str: ..."},
            note="the typed password left out of the copy, or replaced by its hash first",
        ),
        Valid(
            """
            class SmtpClient:
                def __init__(self, host: str, password: str) -> None:
                    self.host = host
                    self.password = password
            """,
            path="app/utils/mail.py",
            note="a client keeping its own credential in memory is not a stored user password",
        ),
    )
    INVALID: ClassVar = (
        Invalid(
            """
            from sqlalchemy import Column, Integer, String
            from sqlalchemy.orm import declarative_base

            Base = declarative_base()

            class User(Base):
                __tablename__ = "users"
                id = Column(Integer, primary_key=True)
                email = Column(String(255), unique=True)
                password = Column(String(128))
            """,
            path=_MODELS,
            line=11,
            note="a password column on a model that never hashes it",
        ),
        Invalid(
            """
            from app.models.user import User
            from app.schemas.user import UserCreate

            class UserService:
                def create(self, data: UserCreate) -> User:
                    return User(email=data.email, hashed_password=data.password)
            """,
            path=_SERVICE,
            files={
                _MODELS: """
                    from sqlmodel import Field, SQLModel

                    class User(SQLModel, table=True):
                        id: int | None = Field(default=None, primary_key=True)
                        email: str
                        hashed_password: str
                """,
                "app/schemas/user.py": """
                    from pydantic import BaseModel

                    class UserCreate(BaseModel):
                        email: str
                        password: str
                """,
            },
            line=7,
            note="the typed password put in the hash column",
        ),
        Invalid(
            """
            from app.models.user import User
            from app.schemas.user import PasswordChange

            async def change_password(user: User, payload: PasswordChange) -> None:
                user.hashed_password = payload.new_password
            """,
            path=_SERVICE,
            files={
                _MODELS: """
                    from sqlalchemy.orm import DeclarativeBase, Mapped

                    class Base(DeclarativeBase):
                        pass

                    class User(Base):
                        __tablename__ = "users"
                        hashed_password: Mapped[str]
                """,
                "app/schemas/user.py": """
                    from pydantic import BaseModel

                    class PasswordChange(BaseModel):
                        new_password: str
                """,
            },
            line=6,
        ),
        Invalid(
            """
            async def authenticate(repo, email: str, password: str):
                user = await repo.get_by_email(email)
                if user is None or user.password != password:
                    return None
                return user
            """,
            path=_SERVICE,
            line=4,
            note="passwords compared with != (the seed's login, written naively)",
        ),
        Invalid(
            """
            from sqlalchemy.orm import Session
            from app.models.user import User
            from app.schemas.user import UserCreate

            def create_user(db: Session, user: UserCreate) -> User:
                db_user = User(**user.dict())
                db.add(db_user)
                db.commit()
                return db_user
            """,
            path="app/repositories/users.py",
            files={
                _MODELS: """
                    from sqlalchemy import Column, Integer, String
                    from sqlalchemy.orm import declarative_base

                    Base = declarative_base()

                    class User(Base):
                        __tablename__ = "users"
                        id = Column(Integer, primary_key=True)
                        email = Column(String, unique=True)
                        password = Column(String)

                    def hash_password(password: str) -> str: ...
                """,
                "app/schemas/user.py": """
                    from pydantic import BaseModel

                    class UserCreate(BaseModel):
                        email: str
                        password: str
                """,
            },
            line=7,
            note="the request unpacked into the model, password included",
        ),
        Invalid(
            """
            from sqlmodel import Field, Session, SQLModel

            class UserCreate(SQLModel):
                email: str
                password: str

            class User(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                email: str
                password: str

            def create_user(session: Session, user_in: UserCreate) -> User:
                user = User.model_validate(user_in)
                session.add(user)
                return user
            """,
            path="app/users/repository.py",
            line=14,
            note="SQLModel's model_validate copies the typed password into the table model",
        ),
    )

    # -- stored as given -------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        """Report typed-text password columns of an ORM model that never hashes them."""
        name = self.ctx.index.canonical(f"{self.ctx.summary.module}.{self.ctx.scope_name()}")
        if name not in self.ctx.index.orm_models:
            return
        statements = _body_statements(node)
        columns = [
            (target, annotation, value)
            for stmt in statements
            for target, annotation, value in _class_fields(stmt)
            if is_plain_password_name(target.value)
        ]
        if not columns or _hashes_itself(node):  # the walk of the class body last
            return
        if any("salt" in words(t.value) for s in statements for t, _, _ in _class_fields(s)):
            return  # a salt column: the password column holds a salted hash
        if _hashing_in_project(self.ctx.index) is not None:
            return  # the column holds what the project hashes; plain assignments are caught
        for target, annotation, value in columns:
            types = self.ctx.annotation(annotation) if annotation is not None else ()
            if not_secret_type(types, self.ctx.index.classes) or _binary(value):
                continue
            self.report(
                target,
                f"ORM model `{node.name.value}` stores `{target.value}` as given; store "
                "only a salted hash (a `password_hash` column)",
            )

    # -- assigned as given -----------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        """Report a typed password passed to an ORM model's constructor or model_validate()."""
        func = node.func
        # Exact type tests (Attribute is a leaf class): this runs on every call.
        if type(func) is cst.Attribute and func.attr.value == "model_validate":
            self._validated(node, func)
            return
        if not any(
            a.star == "**" or (a.keyword is not None and is_password_name(a.keyword.value))
            for a in node.args
        ):
            return
        callee = self.ctx.call_name(node)
        if callee is None or callee not in self.ctx.index.orm_models:
            return
        model = callee.rsplit(".", 1)[-1]
        for arg in node.args:
            if arg.star == "**":
                field = self._schema_password(_dumped(arg.value), callee)
                if field is not None:
                    self.report(
                        arg,
                        f"`{model}(**{_text(arg.value)})` copies the request's `{field}` into "
                        f"the model's `{field}` as typed; exclude it and store its hash",
                    )
                continue
            if arg.keyword is None or not is_password_name(arg.keyword.value):
                continue
            given = self._typed_password(arg.value)
            if given is not None:
                self.report(
                    arg,
                    f"`{model}({arg.keyword.value}={given})` stores the typed password; "
                    "hash it first",
                )

    def _validated(self, node: cst.Call, func: cst.Attribute) -> None:
        """`User.model_validate(user_in)` on a table model copies a typed password field."""
        model = self.ctx.qualify(func.value)
        source = positional(node, 0)
        if model is None or model not in self.ctx.index.orm_models or source is None:
            return
        field = self._schema_password(source.value, model)
        update = keyword(node, "update")
        if field is None or (update is not None and _dict_has_key(update.value, field)):
            return
        self.report(
            node,
            f"`{model.rsplit('.', 1)[-1]}.model_validate({_text(source.value)})` copies the "
            f"request's `{field}` into the model as typed; store its hash instead",
        )

    def _schema_password(self, source: cst.BaseExpression | None, model: str) -> str | None:
        """A plain password field of the schema `source` is typed as that `model` also has."""
        if source is None:
            return None
        index = self.ctx.index
        model_fields = {f for a in index.ancestors(model) for f in _fields_of(index, a)}
        for schema in self.ctx.type_of(source):
            if not index.is_schema(schema):
                continue
            for ancestor in index.ancestors(schema):
                for field in _fields_of(index, ancestor):
                    if (
                        is_plain_password_name(field)
                        and field in model_fields
                        and not self._replaced(source, field)
                    ):
                        return field
        return None

    def _replaced(self, source: cst.BaseExpression, field: str) -> bool:
        """`data.password = hash_password(data.password)` earlier in the function."""
        function = self.ctx.function
        owner_name = dotted(source)
        if function is None or owner_name is None:
            return False
        wanted = f"{owner_name}.{field}"
        return any(
            isinstance(node, cst.AssignTarget) and dotted(node.target) == wanted
            for node in iter_nodes(function.body)
        )

    def visit_Assign(self, node: cst.Assign) -> None:
        """Report `user.hashed_password = payload.password` on an ORM object."""
        for target in node.targets:
            field = target.target
            if not (type(field) is cst.Attribute and is_password_name(field.attr.value)):
                continue
            given = self._typed_password(node.value)
            if given is None or not self._is_stored_model(field, node.value):
                continue
            self.report(
                node,
                f"`{dotted(field) or field.attr.value} = {given}` stores the typed password; "
                "hash it first",
            )

    def _is_stored_model(self, field: cst.Attribute, value: cst.BaseExpression) -> bool:
        """The assigned object is an ORM model (without a hashing setter for the field)."""
        index = self.ctx.index
        types = self.ctx.type_of(field.value)
        models = [t for t in types if t in index.orm_models]
        if models:
            return not any(
                f"{a}.{field.attr.value}" in index.returns
                for m in models
                for a in index.ancestors(m)
            )
        if types:
            return False
        source = owner(value)
        return source is not None and any(index.is_schema(t) for t in self.ctx.type_of(source))

    # -- compared as given -----------------------------------------------------------
    def visit_Comparison(self, node: cst.Comparison) -> None:
        """Report `==`/`!=` between a stored and a typed password, or two different ones."""
        left = node.left
        for target in node.comparisons:
            right = target.comparator
            if type(target.operator) in _EQUALITY_OPERATORS and self._compares(left, right):
                operator = "==" if isinstance(target.operator, cst.Equal) else "!="
                self.report(
                    node,
                    f"passwords compared with `{operator}`: "
                    f"`{_text(left)} {operator} {_text(right)}`; verify the typed password "
                    "against the stored hash with the hasher (constant time)",
                )
                return
            left = right

    def _compares(self, left: cst.BaseExpression, right: cst.BaseExpression) -> bool:
        sides = [_password_read(left), _password_read(right)]
        if None in sides:
            hashed = [_hash_call_of_password(left), _hash_call_of_password(right)]
            return (sides[0] is not None and hashed[1]) or (sides[1] is not None and hashed[0])
        stored = [self._stored(e, n) for e, n in zip((left, right), sides, strict=True)]
        if any(stored) and not all(stored):
            return True
        if all(stored):
            return False
        if owner_text(left) is not None and owner_text(left) == owner_text(right):
            return False  # two fields of one request: a confirmation
        return not any(set(words(n or "")) & _CONFIRMATION_WORDS for n in sides)

    def _stored(self, node: cst.BaseExpression, name: str | None) -> bool:
        if name is not None and is_hash_name(name):
            return True
        source = owner(node)
        if source is None:
            return False
        if any(t in self.ctx.index.orm_models for t in self.ctx.type_of(source)):
            return True
        return (dotted(source) or "").rsplit(".", 1)[-1] in _ACCOUNT_NAMES

    def _typed_password(self, value: cst.BaseExpression) -> str | None:
        """Source text of `value` when it is a typed password read as is (not hashed)."""
        name = read_name(value)
        if name is None or not is_plain_password_name(name):
            return None
        if isinstance(value, cst.Name) and not self._is_parameter_or_read(value.value):
            return None
        return _text(value)

    def _is_parameter_or_read(self, name: str) -> bool:
        """A bare name holds a typed password when it is a parameter never reassigned."""
        function = self.ctx.function
        if function is None:
            return False
        params = function.params
        if any(
            p.name.value == name
            for p in (*params.posonly_params, *params.params, *params.kwonly_params)
        ):
            return not _reassigned(function, name)
        return False


def _hashing_in_project(index: ProjectIndex) -> str | None:
    """A password-hashing library or function anywhere in the project, if any."""
    for summary in index.modules.values():
        for module in summary.imported_modules:
            if module.split(".")[0] in _HASH_LIBRARIES or module == "werkzeug.security":
                return module
    for function in index.returns:
        last = function.rsplit(".", 1)[-1].lower()
        if _HASH_FUNCTION.search(last):
            return function
    return None


def _fields_of(index: ProjectIndex, name: str) -> tuple[str, ...]:
    info = index.classes.get(name)
    return tuple(info.fields) if info is not None else ()


def _dumped(node: cst.BaseExpression) -> cst.BaseExpression | None:
    """`data` of `data.model_dump()` / `data.dict()` without include/exclude, else None."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)):
        return None
    if node.func.attr.value not in ("model_dump", "dict"):
        return None
    if any(a.keyword is not None and a.keyword.value in ("include", "exclude") for a in node.args):
        return None
    return node.func.value


def _dict_has_key(node: cst.BaseExpression, key: str) -> bool:
    if not isinstance(node, cst.Dict):
        return True  # not a literal: assume it replaces the field
    return any(
        isinstance(e, cst.DictElement) and literal_string(e.key) == key for e in node.elements
    )


def _password_read(node: cst.BaseExpression) -> str | None:
    if type(node) in _STRING_LITERALS:
        return None
    name = read_name(node)
    return name if name is not None and is_password_name(name) else None


def _hash_call_of_password(node: cst.BaseExpression) -> bool:
    """`hash_password(form.password)`: an unsalted hash compared with `==`."""
    if not isinstance(node, cst.Call):
        return False
    callee = (dotted(node.func) or "").rsplit(".", 1)[-1].lower()
    if not any(w in callee for w in ("hash", "crypt", "digest", "sha", "md5")):
        return False
    return any(_password_read(arg.value) is not None for arg in node.args)


def _text(node: cst.BaseExpression) -> str:
    return cst.Module(body=()).code_for_node(node)


def _hashes_itself(node: cst.ClassDef) -> bool:
    """A model that hashes in its own methods (a setter, `@validates`) stores a hash."""
    for inner in iter_nodes(node.body):
        if isinstance(inner, cst.Call):
            callee = (dotted(inner.func) or "").rsplit(".", 1)[-1].lower()
            if any(w in callee for w in ("hash", "crypt", "validates")):
                return True
    return False


def _body_statements(node: cst.ClassDef) -> list[cst.BaseSmallStatement]:
    found: list[cst.BaseSmallStatement] = []
    for stmt in node.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            found.extend(stmt.body)
    return found


def _class_fields(
    stmt: cst.BaseSmallStatement,
) -> list[tuple[cst.Name, cst.BaseExpression | None, cst.BaseExpression | None]]:
    """(name, annotation, value) of a class attribute statement."""
    if isinstance(stmt, cst.AnnAssign) and isinstance(stmt.target, cst.Name):
        return [(stmt.target, stmt.annotation.annotation, stmt.value)]
    if isinstance(stmt, cst.Assign):
        return [
            (t.target, None, stmt.value) for t in stmt.targets if isinstance(t.target, cst.Name)
        ]
    return []


def _binary(value: cst.BaseExpression | None) -> bool:
    """`Column(LargeBinary)`, `mapped_column(Boolean)`: not a text column."""
    if not isinstance(value, cst.Call):
        return False
    for arg in value.args:
        inner = arg.value.func if isinstance(arg.value, cst.Call) else arg.value
        name = dotted(inner)
        if name is not None and name.rsplit(".", 1)[-1] in _NON_TEXT_COLUMNS:
            return True
    return False


def _reassigned(function: cst.FunctionDef, name: str) -> bool:
    for node in iter_nodes(function.body):
        if (
            isinstance(node, cst.AssignTarget)
            and isinstance(node.target, cst.Name)
            and node.target.value == name
        ):
            return True
    return False
