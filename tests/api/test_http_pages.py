"""The browser pages over HTTP (no browser): what is served, to whom, and with which headers."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

from tests.api.http_helpers import STATS, TEST_SETTINGS, api


def explorer_config(html: str) -> dict[str, object]:
    found = re.search(r'type="application/json">(.*?)</script>', html, re.S)
    assert found is not None
    config: dict[str, object] = json.loads(found.group(1))
    return config


async def test_explorer_page_holds_the_examples_with_ids_from_the_store(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        page = await client.get("/explorer")
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "https://" not in page.text.split("<script id")[0]  # no external asset
    tabs = explorer_config(page.text)["tabs"]
    assert isinstance(tabs, list) and len(tabs) == 6
    assert "query MatchAJob(" in tabs[5]["query"]
    compare = json.loads(tabs[0]["variables"])
    assert compare["ids"][0] == "https://acme.example/badges/data-analyst"


async def test_graphql_gives_browsers_the_explorer_and_clients_json(tmp_path: Path) -> None:
    async with api(tmp_path) as (client, _):
        browser = await client.get("/graphql", headers={"Accept": "text/html,*/*"})
        operation = await client.get(
            "/graphql", params={"query": STATS}, headers={"Accept": "text/html,*/*"}
        )
        plain = await client.get("/graphql", headers={"Accept": "application/json"})
    assert "credgraph explorer" in browser.text
    assert operation.json()["data"]["stats"]["credentials"] > 0
    assert plain.status_code == 400  # no query: the API's own answer


async def test_pages_and_assets_load_without_a_key_but_data_needs_one(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, api_keys=("k1",), require_api_key=True)
    async with api(tmp_path, settings) as (client, _):
        pages = [
            await client.get(p)
            for p in ("/explorer", "/compare", "/embed.js", "/static/compare/compare.js",
                      "/static/explorer/explorer.js")
        ]  # fmt: skip
        data = await client.post("/graphql", json={"query": STATS})
    assert [p.status_code for p in pages] == [200] * 5
    assert pages[2].headers["content-type"].startswith("text/javascript")
    assert data.status_code == 401


async def test_with_keys_required_the_explorer_shows_no_id_from_the_graph(tmp_path: Path) -> None:
    """The page needs no key, so where keys are required its examples name placeholders: a
    keyless visitor learns nothing about the graph from it."""
    settings = replace(TEST_SETTINGS, api_keys=("k1",), require_api_key=True)
    async with api(tmp_path, settings) as (client, _):
        page = await client.get("/explorer")
    assert page.status_code == 200
    tabs = explorer_config(page.text)["tabs"]
    assert isinstance(tabs, list) and len(tabs) == 6
    assert json.loads(tabs[0]["variables"]) == {"ids": ["CREDENTIAL-ID-1", "CREDENTIAL-ID-2"]}
    assert json.loads(tabs[2]["variables"]) == {"id": "CREDENTIAL-ID"}
    assert "acme.example" not in page.text and "ce-aaaaaaaa" not in page.text


async def test_the_landing_page_links_every_entry_point_and_each_answers(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, api_keys=("k1",), require_api_key=True)
    async with api(tmp_path, settings) as (client, _):
        home = await client.get("/")
        links = re.findall(r'href="(/[^"]*)"', home.text)
        answers = {link: await client.get(link) for link in links}
        icon = await client.get("/favicon.ico")
        sdl = await client.get("/schema.graphql")
    assert (
        home.status_code == 200 and "default-src 'self'" in home.headers["content-security-policy"]
    )
    for path in ("/explorer", "/compare", "/schema.graphql", "/healthz", "/favicon.svg"):
        assert path in links, (path, links)
    # Pages and the reference need no key (they hold no data); the store's data still does.
    assert {link: a.status_code for link, a in answers.items()} == dict.fromkeys(links, 200)
    assert icon.headers["content-type"].startswith("image/svg+xml") and b"<svg" in icon.content
    from credgraph.api import build_schema

    assert sdl.text.strip() == build_schema().as_str().strip()


async def test_embed_answers_cross_origin_only_for_allowed_origins(tmp_path: Path) -> None:
    settings = replace(TEST_SETTINGS, cors_origins=("https://jobs.example",))
    query = {"query": STATS}
    async with api(tmp_path, settings) as (client, _):
        allowed = await client.get(
            "/graphql", params=query, headers={"Origin": "https://jobs.example"}
        )
        other = await client.get(
            "/graphql", params=query, headers={"Origin": "https://evil.example"}
        )
    assert allowed.headers["access-control-allow-origin"] == "https://jobs.example"
    assert "access-control-allow-origin" not in other.headers


async def test_pages_answer_304_when_the_client_has_them(tmp_path: Path) -> None:
    """Revalidating a page, the embed script or the icon costs no body when it has not
    changed, as for `/static` files and GET /graphql."""
    paths = (
        "/",
        "/compare",
        "/embed.js",
        "/favicon.svg",
        "/favicon.ico",
        "/static/compare/compare.js",
    )
    async with api(tmp_path) as (client, _):
        for path in paths:
            first = await client.get(path)
            etag = first.headers["etag"]
            again = await client.get(path, headers={"If-None-Match": etag})
            listed = await client.get(path, headers={"If-None-Match": f'"other", W/{etag}'})
            changed = await client.get(path, headers={"If-None-Match": '"other"'})
            assert first.status_code == 200 and first.content, path
            assert again.status_code == 304 and again.content == b"", (path, again.status_code)
            assert again.headers["etag"] == etag, path
            assert again.headers.get("cache-control") == first.headers.get("cache-control"), path
            assert listed.status_code == 304, path
            assert changed.status_code == 200 and changed.content == first.content, path


async def test_static_files_are_revalidated_at_every_use(tmp_path: Path) -> None:
    """`no-cache` on every `/static` file, its 304 included: after an upgrade a browser
    cannot run the new page with scripts it kept from the old one."""
    paths = ("/static/compare/compare.js", "/static/explorer/explorer.js", "/static/home/home.css")
    async with api(tmp_path) as (client, _):
        for path in paths:
            first = await client.get(path)
            again = await client.get(path, headers={"If-None-Match": first.headers["etag"]})
            assert first.status_code == 200 and first.headers["cache-control"] == "no-cache", path
            assert again.status_code == 304 and again.headers["cache-control"] == "no-cache", path


def test_bundled_styles_load_nothing_from_outside() -> None:
    from credgraph.api.http.pages import STATIC_DIR

    for css in STATIC_DIR.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        assert "@import" not in text, css
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), css
