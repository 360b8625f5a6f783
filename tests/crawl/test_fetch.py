"""The fetch layer over real HTTP on loopback: politeness, conditional GET, caps, guard."""

from __future__ import annotations

import asyncio
import gzip
from dataclasses import replace

import httpx
import pytest

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import BlockedURL, FetchError
from credgraph.fetch import Fetcher, Validators
from credgraph.fetch.guard import check_url
from credgraph.fetch.polite import retry_after_seconds
from tests.crawl.server import Route, serving

FAST = CrawlerSettings(
    user_agent="credgraph-test/1 (+https://example.org/contact)",
    delay_seconds=0.0,
    allow_private_networks=True,
    timeout_seconds=2.0,
    max_retries=2,
)


class FakeTime:
    """A clock that moves only when the fetcher sleeps, remembering each pause asked for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def fetcher(waits: FakeTime | None = None, **changes: object) -> Fetcher:
    settings = replace(FAST, **changes)  # type: ignore[arg-type]
    if waits is None:
        return Fetcher(settings, backoff_base=0.01)
    return Fetcher(settings, backoff_base=0.01, clock=waits.clock, sleep=waits.sleep)


async def test_conditional_get_with_etag_and_last_modified() -> None:
    routes = {
        "/etag": Route('{"a": 1}'),
        "/lm": Route('{"b": 2}', etag=False, last_modified="Sat, 01 Nov 2026 00:00:00 GMT"),
    }
    with serving(routes) as server:
        async with fetcher() as f:
            first = await f.fetch(server.url("/etag"))
            assert first.status == 200 and first.text == '{"a": 1}' and first.etag
            again = await f.fetch(server.url("/etag"), first.validators)
            assert again.not_modified and again.text is None
            assert again.content_hash == first.content_hash
            assert server.hits("/etag")[1].headers["if-none-match"] == first.etag
            lm = await f.fetch(server.url("/lm"))
            assert (await f.fetch(server.url("/lm"), lm.validators)).not_modified


async def test_same_content_without_validators_is_reported_unchanged() -> None:
    with serving({"/x": Route("[1,2,3]", etag=False)}) as server:
        async with fetcher() as f:
            first = await f.fetch(server.url("/x"))
            second = await f.fetch(server.url("/x"), Validators(content_hash=first.content_hash))
            assert second.unchanged and second.text is None


async def test_robots_txt_is_honoured_and_fetched_once() -> None:
    routes = {
        "/robots.txt": Route("User-agent: *\nDisallow: /private\n", content_type="text/plain"),
        "/public": Route("{}"),
        "/private/x": Route("{}"),
    }
    with serving(routes) as server:
        async with fetcher() as f:
            for _ in range(3):
                await f.fetch(server.url("/public"))
            with pytest.raises(BlockedURL, match="robots"):
                await f.fetch(server.url("/private/x"))
            assert f.counters.robots_refusals == 1
    assert len(server.hits("/robots.txt")) == 1
    assert server.hits("/private/x") == []
    assert server.hits("/public")[0].headers["user-agent"] == FAST.user_agent


async def test_a_robots_txt_that_never_ends_fails_its_host_alone() -> None:
    # A byte every 0.2 s: no read timeout fires, and the fetch of robots.txt is bounded by
    # its own deadline. Every document of the host fails with the reason, one after another
    # and together; none of them takes the shared fetch down with its own deadline.
    routes = {
        "/robots.txt": Route("User-agent: *\n" + "#" * 10_000, content_type="text/plain", drip=0.2),
        "/a": Route("{}"),
        "/b": Route("{}"),
        "/c": Route("{}"),
    }
    with serving(routes) as server:
        async with fetcher(timeout_seconds=1.0) as f:
            for path in ("/a", "/b"):
                with pytest.raises(FetchError, match=r"robots\.txt was not read within 1 s"):
                    await f.fetch(server.url(path))
            together = await asyncio.gather(
                f.fetch(server.url("/b")), f.fetch(server.url("/c")), return_exceptions=True
            )
    assert all(isinstance(e, FetchError) for e in together), together
    assert server.hits("/a") == server.hits("/b") == server.hits("/c") == []


async def test_robots_txt_is_read_up_to_its_cap() -> None:
    # RFC 9309's 500 KiB: a rule past the first 512 KiB is not read (nor is the rest fetched)
    late = "User-agent: *\n" + "#" * (600 * 1024) + "\nDisallow: /late\n"
    routes = {"/robots.txt": Route(late, content_type="text/plain"), "/late": Route("{}")}
    with serving(routes) as server:
        async with fetcher() as f:
            assert (await f.fetch(server.url("/late"))).status == 200


async def test_robots_txt_server_error_disallows_the_host() -> None:
    routes = {"/robots.txt": Route("oops", status=500), "/a": Route("{}")}
    with serving(routes) as server:
        async with fetcher(max_retries=0) as f:
            with pytest.raises(
                FetchError, match=r"host not crawled: robots\.txt answered HTTP 500 \(RFC 9309"
            ):
                await f.fetch(server.url("/a"))


async def test_an_unresolvable_host_is_a_dns_failure_not_a_robots_refusal() -> None:
    async with fetcher(max_retries=0) as f:
        with pytest.raises(FetchError) as caught:
            await f.fetch("http://no-such-host.invalid/a")
    reason = str(caught.value)
    assert "DNS failure: cannot resolve no-such-host.invalid" in reason, reason
    assert "robots.txt" in reason and "RFC 9309" not in reason and "not crawled" not in reason


async def test_retry_after_on_429_is_honoured() -> None:
    with serving({"/busy": Route("{}", fail_first=1, fail_status=429, retry_after="1")}) as server:
        waits = FakeTime()
        async with fetcher(waits) as f:
            result = await f.fetch(server.url("/busy"))
            assert result.status == 200
    assert waits.pauses and max(waits.pauses) >= 1.0  # the server's second, not the backoff
    assert [h.status for h in server.hits("/busy")] == [429, 200]


async def test_a_retry_after_that_is_no_number_is_read_as_none() -> None:
    # "²" is a digit to str.isdigit but no number to float: read as no Retry-After (the
    # fetcher backs off its own way), not an error that stops the crawl
    with serving({"/busy": Route("{}", fail_first=1, fail_status=503, retry_after="²")}) as server:
        waits = FakeTime()
        async with fetcher(waits) as f:
            assert (await f.fetch(server.url("/busy"))).status == 200
    assert retry_after_seconds("²") is None and retry_after_seconds("12") == 12.0


async def test_server_errors_back_off_then_succeed_or_give_up() -> None:
    routes = {"/flaky": Route("{}", fail_first=2, fail_status=500), "/down": Route("x", status=500)}
    with serving(routes) as server:
        async with fetcher(max_retries=2) as f:
            assert (await f.fetch(server.url("/flaky"))).status == 200
            with pytest.raises(FetchError, match=r"HTTP 500 .*after 2 retries") as caught:
                await f.fetch(server.url("/down"))
            assert caught.value.status == 500
    assert len(server.hits("/down")) == 3


@pytest.mark.parametrize("status", [404, 410])
async def test_client_errors_are_not_retried(status: int) -> None:
    with serving({"/gone": Route("{}", status=status)}) as server:
        async with fetcher() as f:
            with pytest.raises(FetchError, match=f"HTTP {status}"):
                await f.fetch(server.url("/gone"))
    assert len(server.hits("/gone")) == 1


async def test_timeouts_stalls_and_truncation_are_errors() -> None:
    body = '{"x": "' + "y" * 5000 + '"}'
    routes = {
        "/slow": Route("{}", delay=5),
        "/stall": Route(body, stall_after=100),
        "/cut": Route(body, truncate_to=100),
    }
    with serving(routes) as server:
        async with fetcher(timeout_seconds=0.5, max_retries=0) as f:
            for path in ("/slow", "/stall"):
                with pytest.raises(FetchError, match="timed out"):
                    await f.fetch(server.url(path))
        # A body cut short is told by the closed connection, not by a clock: with a generous
        # timeout a busy machine's slow close cannot turn it into a timeout.
        async with fetcher(timeout_seconds=30, max_retries=0) as f:
            with pytest.raises(FetchError, match="incomplete"):
                await f.fetch(server.url("/cut"))


async def test_size_cap() -> None:
    with serving({"/big": Route("x" * 5000)}) as server:
        async with fetcher(max_response_bytes=1000) as f:
            with pytest.raises(FetchError, match="over the 1,000-byte cap"):
                await f.fetch(server.url("/big"))


async def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"0" * 2_000_000)
    with serving({"/s.xml.gz": Route(bomb, content_type="application/gzip")}) as server:
        async with fetcher(max_response_bytes=100_000) as f:
            with pytest.raises(FetchError, match="inflates past"):
                await f.fetch(server.url("/s.xml.gz"))


async def test_redirects_loops_and_caps() -> None:
    routes = {
        "/a": Route(status=302, headers={"Location": "/b"}),
        "/b": Route(status=301, headers={"Location": "/a"}),
        "/r1": Route(status=302, headers={"Location": "/r2"}),
        "/r2": Route(status=302, headers={"Location": "/r3"}),
        "/r3": Route(status=302, headers={"Location": "/final"}),
        "/final": Route('{"ok": true}'),
    }
    with serving(routes) as server:
        async with fetcher(max_redirects=5) as f:
            with pytest.raises(FetchError, match="redirect loop"):
                await f.fetch(server.url("/a"))
            result = await f.fetch(server.url("/r1"))
            assert result.final_url == server.url("/final") and result.text == '{"ok": true}'
        async with fetcher(max_redirects=2) as f:
            with pytest.raises(FetchError, match="more than 2 redirects"):
                await f.fetch(server.url("/r1"))


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://example.org/x"])
async def test_a_redirect_to_another_scheme_is_refused_naming_the_hop(location: str) -> None:
    scheme = location.split(":", 1)[0]
    with serving({"/start": Route(status=302, headers={"Location": location})}) as server:
        async with fetcher() as f:
            with pytest.raises(BlockedURL) as refused:
                await f.fetch(server.url("/start"))
    message = str(refused.value)
    assert message.startswith(server.url("/start"))
    assert f"redirected to {scheme}:" in message and f"scheme {scheme!r} is not fetched" in message


async def test_a_urls_password_is_masked_in_the_refusal() -> None:
    routes = {"/start": Route(status=302, headers={"Location": "file:///etc/passwd"})}
    with serving(routes) as server:
        url = server.url("/start").replace("http://", "http://reader:hunter2@")
        async with fetcher() as f:
            with pytest.raises(FetchError) as refused:
                await f.fetch(url)
    assert "hunter2" not in str(refused.value) and "reader:***@" in str(refused.value)
    assert refused.value.url == url  # the crawl's key, as given


async def test_charsets_and_encodings() -> None:
    latin = "Zürich Café".encode("latin-1")
    routes = {
        "/bad": Route(b'{"name": "Z\xfcrich"}'),
        "/latin": Route(latin, content_type="text/plain; charset=ISO-8859-1"),
        "/meta": Route(
            b'<html><head><meta charset="windows-1252"></head><body>caf\xe9</body>',
            content_type="text/html",
        ),
        "/gz": Route('{"zipped": "ja"}', gzip_encoding=True),
        "/bom": Route(b"\xef\xbb\xbf{}"),
    }
    with serving(routes) as server:
        async with fetcher() as f:
            with pytest.raises(FetchError, match="not valid UTF-8"):
                await f.fetch(server.url("/bad"))
            assert (await f.fetch(server.url("/latin"))).text == "Zürich Café"
            assert "café" in ((await f.fetch(server.url("/meta"))).text or "")
            assert (await f.fetch(server.url("/gz"))).text == '{"zipped": "ja"}'
            assert (await f.fetch(server.url("/bom"))).text == "{}"


@pytest.mark.parametrize("charset", ["hex", "base64", "punycode"])
async def test_a_charset_that_is_no_text_encoding_is_the_documents_error(charset: str) -> None:
    # codecs knows these names, but they turn bytes into bytes, or fail their own way
    route = Route(b'{"name": "x"}', content_type=f"application/json; charset={charset}")
    with serving({"/doc": route}) as server:
        async with fetcher() as f:
            with pytest.raises(FetchError, match=f"charset '{charset}' does not decode text"):
                await f.fetch(server.url("/doc"))


async def test_a_stored_validator_that_is_not_ascii_is_not_sent_back() -> None:
    # A server once sent `ETag: "v1-é"`: a header cannot carry it, so the page is fetched whole
    # rather than every later crawl of the source failing.
    with serving({"/doc": Route('{"a": 1}')}) as server:
        async with fetcher() as f:
            result = await f.fetch(
                server.url("/doc"), Validators(etag='"v1-é"', last_modified="Sat, 1 Nov é")
            )
    assert result.status == 200 and result.text == '{"a": 1}'
    [hit] = server.hits("/doc")
    assert "if-none-match" not in hit.headers and "if-modified-since" not in hit.headers


async def test_link_next_header() -> None:
    route = Route("[]", headers={"Link": '</page2?x=1>; rel="next", </page0>; rel="prev"'})
    with serving({"/page1": route}) as server:
        async with fetcher() as f:
            result = await f.fetch(server.url("/page1"))
    assert result.next_links == (server.url("/page2?x=1"),)


async def test_a_link_header_naming_no_url_is_passed_over() -> None:
    route = Route("[]", headers={"Link": '<http://[::1>; rel="next", </page3>; rel="next"'})
    with serving({"/page2": route}) as server:
        async with fetcher() as f:
            result = await f.fetch(server.url("/page2"))
    assert result.text == "[]" and result.next_links == (server.url("/page3"),)


@pytest.mark.slow  # waits on real time: a host's delay and a server's Retry-After
async def test_waiting_for_the_host_does_not_spend_a_documents_deadline() -> None:
    # A document has twice the timeout (2 s here) for its request; the host's 2.5 s between
    # requests and a server's "come back in 3 s" are politeness, bounded by their own settings.
    routes = {
        "/a": Route("{}"),
        "/b": Route("{}"),
        "/busy": Route("{}", fail_first=1, fail_status=429, retry_after="3"),
    }
    with serving(routes) as server:
        async with fetcher(timeout_seconds=1.0, delay_seconds=2.5) as f:
            assert (await f.fetch(server.url("/a"))).status == 200
            assert (await f.fetch(server.url("/b"))).status == 200  # after 2.5 s for its turn
        async with fetcher(timeout_seconds=1.0) as f:
            assert (await f.fetch(server.url("/busy"))).status == 200  # after the 3 s asked
    assert [h.status for h in server.hits("/busy")] == [429, 200]


async def test_per_host_delay_spaces_requests() -> None:
    with serving({"/a": Route("{}"), "/b": Route("{}")}) as server:
        waits = FakeTime()
        async with fetcher(waits, delay_seconds=0.3) as f:
            await f.fetch(server.url("/a"))
            await f.fetch(server.url("/b"))
    # robots.txt, /a and /b: two gaps of the delay (no time passes between them here)
    assert waits.pauses == pytest.approx([0.3, 0.3])


async def test_guard_refuses_loopback_when_private_networks_are_off() -> None:
    with serving({"/a": Route("{}")}) as server:
        async with fetcher(allow_private_networks=False) as f:
            with pytest.raises(BlockedURL, match=r"loopback address 127\.0\.0\.1"):
                await f.fetch(server.url("/a"))
        assert server.log == []  # nothing was sent, not even robots.txt


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8080/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[fd00::1]/",
        "http://127.1/",
        "ftp://example.org/",
    ],
)
async def test_guard_refuses_internal_addresses_in_every_form(url: str) -> None:
    with pytest.raises(BlockedURL):
        await check_url(httpx.URL(url), allow_private=False)


async def test_guard_allows_public_addresses() -> None:
    await check_url(httpx.URL("http://93.184.216.34/"), allow_private=False)


async def test_guard_rechecks_every_redirect_hop() -> None:
    """A public page redirecting to an internal address is refused at the second hop."""
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(302, headers={"Location": "http://169.254.169.254/latest/"})

    settings = replace(FAST, allow_private_networks=False)
    async with Fetcher(settings, transport=httpx.MockTransport(handler)) as f:
        with pytest.raises(BlockedURL, match="link-local"):
            await f.fetch("http://93.184.216.34/badges")
    assert sent == ["http://93.184.216.34/robots.txt", "http://93.184.216.34/badges"]
