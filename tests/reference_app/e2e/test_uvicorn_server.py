"""The README's serve command, for real: uvicorn on a free loopback port, no settings."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "ENVIRONMENT",
    "LOG_LEVEL",
    "CORS_ORIGINS",
    "AUTO_MIGRATE",
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """`uvicorn reference_app.main:app` in an empty folder with a clean environment."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "reference_app.main:app", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield base_url, process, log
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=15)


def test_serves_a_full_flow_on_the_default_sqlite_database(server, tmp_path: Path) -> None:
    base_url, process, log = server
    with httpx.Client(base_url=base_url, timeout=10) as client:
        assert client.get("/health/ready").status_code == 200
        user = {"email": "uv@example.com", "username": "uvicorn", "password": "served for real"}
        assert client.post("/api/v1/users", json=user).status_code == 201
        token = client.post(
            "/api/v1/auth/token", data={"username": "uvicorn", "password": "served for real"}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/v1/users/me", headers=headers).json()["username"] == "uvicorn"
        created = client.post("/api/v1/posts", json={"title": "t", "body": "b"}, headers=headers)
        assert created.status_code == 201
        page = client.get("/api/v1/posts").json()
        assert page["total"] == 1
        missing = client.get("/api/v1/posts/999")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"
        assert missing.headers["x-request-id"]
    assert (tmp_path / "reference_app.db").exists()
    process.send_signal(signal.SIGTERM)
    # Recent uvicorn re-raises the signal after a graceful shutdown.
    assert process.wait(timeout=15) in {0, -signal.SIGTERM}
    output = log.read_text()
    assert "SECRET_KEY is not set" in output
    assert '"logger": "reference_app.access"' in output
    assert "Application shutdown complete" in output
