"""The OpenAPI document, with the problem details schema that errors refer to."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from reference_app.schemas.problem import ProblemDetails


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` add `ProblemDetails` (and what it uses) to the components."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            problem = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            schemas.update(problem.pop("$defs", {}))
            schemas["ProblemDetails"] = problem
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
