"""What every response shares: problem details, request ids, security headers, health."""

import httpx
import pytest
from fastapi import FastAPI

from reference_app.api.dependencies import get_post_service, get_session

# Headers, errors and health do not depend on the database: SQLite only.
pytestmark = pytest.mark.one_backend


async def test_liveness_and_readiness(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}


async def test_readiness_is_503_when_the_database_is_unreachable(
    settings_factory, app_factory, assert_problem
) -> None:
    # Nothing listens on port 9 of the loopback: the connection is refused at once.
    unreachable = "postgresql+asyncpg://postgres@127.0.0.1:9/none"
    async with app_factory(settings_factory(unreachable)) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/health")).status_code == 200
            body = assert_problem(await client.get("/health/ready"), 503)
    assert body["detail"] == "the database is not reachable"


async def test_unknown_path_and_wrong_method(client, assert_problem) -> None:
    assert_problem(await client.get("/no/such/path"), 404)
    response = await client.put("/health")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"
    response = await client.put("/api/v1/posts/1")
    assert_problem(response, 405)
    assert response.headers["allow"] == "DELETE, GET, PATCH"


async def test_malformed_json_is_422(client, assert_problem) -> None:
    response = await client.post(
        "/api/v1/users", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_problem(response, 422)


async def test_request_id_is_echoed_or_created(client: httpx.AsyncClient) -> None:
    response = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    generated = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert generated.headers["x-request-id"] not in {"", "bad id\twith spaces"}
    assert len((await client.get("/nope")).headers["x-request-id"]) == 32


async def test_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    docs = await client.get("/docs")
    assert docs.status_code == 200
    assert "content-security-policy" not in docs.headers
    assert "strict-transport-security" not in response.headers  # development


async def test_production_adds_strict_transport_security(
    settings_factory, app_factory, database_url
) -> None:
    settings = settings_factory(database_url, environment="production")
    async with app_factory(settings) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=")


async def test_unexpected_error_is_500_problem_with_request_id(
    app: FastAPI, assert_problem
) -> None:
    class Broken:
        async def list_page(self, **_: int) -> None:
            raise RuntimeError("boom")

    app.dependency_overrides[get_post_service] = Broken
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/api/v1/posts", headers={"X-Request-ID": "trace-500"})
    body = assert_problem(response, 500)
    assert "boom" not in response.text
    assert body["detail"] == "An unexpected error occurred."
    assert response.headers["x-request-id"] == "trace-500"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_access_log_is_json_without_query_string(client, caplog) -> None:
    caplog.set_level("INFO", logger="reference_app.access")
    await client.get("/api/v1/posts?limit=5&token=secret", headers={"X-Request-ID": "log-1"})
    records = [r for r in caplog.records if getattr(r, "request_id", None) == "log-1"]
    assert len(records) == 1
    record = records[0]
    assert (record.method, record.path, record.status) == ("GET", "/api/v1/posts", 200)
    assert record.duration_ms >= 0
    assert "secret" not in caplog.text


@pytest.mark.parametrize(
    ("origins", "credentials"), [(["https://app.example"], "true"), (["*"], None)]
)
async def test_cors_from_settings(
    settings_factory, app_factory, database_url, origins, credentials
):
    settings = settings_factory(database_url, cors_origins=origins)
    async with app_factory(settings) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            response = await client.options(
                "/api/v1/posts",
                headers={
                    "Origin": "https://app.example",
                    "Access-Control-Request-Method": "GET",
                },
            )
    assert response.status_code == 200
    assert response.headers.get("access-control-allow-credentials") == credentials
    assert "x-request-id" in response.headers


async def test_openapi_documents_problem_details(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    assert "ProblemDetails" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    responses = document["paths"]["/api/v1/posts/{post_id}"]["patch"]["responses"]
    for status in ("401", "403", "404", "422"):
        assert "application/problem+json" in responses[status]["content"]
    paths = document["paths"]
    assert all(path.startswith(("/api/v1/", "/health")) for path in paths)


async def test_a_failed_commit_is_an_error_response_not_a_success(
    app: FastAPI, assert_problem
) -> None:
    database = app.state.database

    async def session_whose_commit_fails():
        async with database.sessionmaker() as session:
            yield session
            await session.rollback()
            raise RuntimeError("commit failed")

    app.dependency_overrides[get_session] = session_whose_commit_fails
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        payload = {"email": "c@example.com", "username": "commit", "password": "password1"}
        response = await client.post("/api/v1/users", json=payload)
        assert_problem(response, 500)
        app.dependency_overrides.clear()
        assert (
            await client.post(
                "/api/v1/auth/token", data={"username": "commit", "password": "password1"}
            )
        ).status_code == 401
