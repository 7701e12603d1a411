"""Posts: create, list with pagination, read, and author-only changes."""

import httpx
import pytest


async def test_create_post_returns_author_and_timestamps(client, api) -> None:
    author = await api.register("writer")
    response = await client.post(
        "/api/v1/posts", json={"title": "First", "body": "Hello"}, headers=author.headers
    )
    assert response.status_code == 201
    post = response.json()
    assert post["author_id"] == author.id
    assert post["title"] == "First"
    assert {"id", "created_at", "updated_at"} <= set(post)


@pytest.mark.one_backend
async def test_create_post_needs_a_token(client: httpx.AsyncClient, assert_problem) -> None:
    response = await client.post("/api/v1/posts", json={"title": "t", "body": "b"})
    assert_problem(response, 401)


@pytest.mark.one_backend
async def test_create_post_validates_the_body(client, api, assert_problem) -> None:
    author = await api.register()
    response = await client.post(
        "/api/v1/posts", json={"title": "", "body": "nul \u0000"}, headers=author.headers
    )
    body = assert_problem(response, 422)
    assert sorted(error["loc"][-1] for error in body["errors"]) == ["body", "title"]


async def test_list_posts_paginates_newest_first(client, api) -> None:
    author = await api.register()
    for number in range(5):
        await api.create_post(author, title=f"post {number}")
    response = await client.get("/api/v1/posts", params={"limit": 2, "offset": 1})
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 5
    assert page["limit"] == 2
    assert page["offset"] == 1
    assert [item["title"] for item in page["items"]] == ["post 3", "post 2"]


async def test_list_posts_defaults_and_empty(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/posts")
    assert response.json() == {"items": [], "total": 0, "limit": 20, "offset": 0}


@pytest.mark.one_backend
@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "x"}, {"offset": 2**64}]
)
async def test_list_posts_rejects_bad_pagination(client, assert_problem, params) -> None:
    assert_problem(await client.get("/api/v1/posts", params=params), 422)


async def test_get_post_and_404(client, api, assert_problem) -> None:
    post = await api.create_post(await api.register())
    response = await client.get(f"/api/v1/posts/{post['id']}")
    assert response.status_code == 200
    assert response.json() == post
    assert_problem(await client.get("/api/v1/posts/987654"), 404)


async def test_author_updates_and_deletes(client, api) -> None:
    author = await api.register()
    post = await api.create_post(author, title="Draft", body="text")
    response = await client.patch(
        f"/api/v1/posts/{post['id']}", json={"title": "Final"}, headers=author.headers
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["title"] == "Final"
    assert updated["body"] == "text"
    assert updated["updated_at"] >= post["updated_at"]
    response = await client.delete(f"/api/v1/posts/{post['id']}", headers=author.headers)
    assert response.status_code == 204
    assert response.content == b""
    assert (await client.get(f"/api/v1/posts/{post['id']}")).status_code == 404


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_others_get_403_and_anonymous_401(client, api, assert_problem, method) -> None:
    post = await api.create_post(await api.register())
    intruder = await api.register()
    kwargs = {"json": {"title": "mine now"}} if method == "PATCH" else {}
    url = f"/api/v1/posts/{post['id']}"
    response = await client.request(method, url, headers=intruder.headers, **kwargs)
    assert_problem(response, 403)
    response = await client.request(method, url, **kwargs)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert (await client.get(url)).json() == post


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
async def test_changing_a_missing_post_is_404(client, api, assert_problem, method) -> None:
    account = await api.register()
    kwargs = {"json": {"title": "x"}} if method == "PATCH" else {}
    response = await client.request(
        method, "/api/v1/posts/55555", headers=account.headers, **kwargs
    )
    assert_problem(response, 404)
