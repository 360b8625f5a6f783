"""One verification, from a URL or a document to a VerificationResult.

    verifier = Verifier(verification_settings())
    result = await verifier.verify(url="https://badges.example/assertions/1", store=store)
    result.status, [(c.name, c.outcome, c.reason) for c in result.checks]

Which path a document takes: a compact JWS whose claims hold a credential is a VC-JWT, one
whose payload is an assertion an OB 2.0 signed badge; a JSON object with VC types or a
`proof` an OB 3.0 / CLR credential; one with `badge` and `recipient` (or type Assertion) an
OB 2.0 assertion, verified at its hosted id. A URL is fetched (through the Fetcher) and its
body taken as a document, except that an OB 2.0 hosted assertion is then read at its own id.

JSON-LD and JSON Schema checks, status lists, badge pages and the definition's parse run in the
verifier's worker processes (`workers`), each verification within `compute_seconds`; linking in
the linker's one thread, on input bounded before it starts; fetching within `fetch_seconds`
(`limits` has every bound). The event loop only waits. Close the verifier (`aclose()`) to stop
the workers.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import httpx

from credgraph.config.sources import CrawlerSettings
from credgraph.errors import FetchError, StoreError
from credgraph.fetch import Fetcher
from credgraph.fetch.guard import pinned_transport, system_tls
from credgraph.formats.openbadges import record_kind
from credgraph.model.records import Credential, Issuer
from credgraph.model.validation import holds_lone_surrogate
from credgraph.store.base import GraphStore
from credgraph.verify.definitions import map_to_graph, parse_definition, unmapped, unvouched
from credgraph.verify.draft import Draft
from credgraph.verify.embedded import check_embedded
from credgraph.verify.errors import Unverifiable, VerificationInputError
from credgraph.verify.jws import CompactJws, looks_like_jws, parse_jws
from credgraph.verify.limits import (
    FETCH_SECONDS,
    MAX_ALIGNMENTS,
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    STORE_SECONDS,
    nests_deeper_than,
)
from credgraph.verify.linking import SharedLinker, link_definitions
from credgraph.verify.malformed import MALFORMED
from credgraph.verify.ob2 import verify_hosted, verify_signed
from credgraph.verify.ob3 import verify_data_integrity
from credgraph.verify.pages import award_behind, looks_like_html
from credgraph.verify.remote import Remote
from credgraph.verify.result import Achievement, Status, VerificationResult
from credgraph.verify.vc_jwt import credential_of, verify_vc_jwt
from credgraph.verify.workers import SECONDS, Allowance, CheckWorkers

DEFINITION = "definition"  # the check that says what became of the award's definition


def verification_settings(**overrides: Any) -> CrawlerSettings:
    """Fetch settings for verification: a person waits for the answer, so shorter timeouts,
    a small body cap and little delay; the SSRF guard stays on unless overridden (tests)."""
    base = CrawlerSettings(delay_seconds=0.0, timeout_seconds=10.0, max_retries=1,
                           max_redirects=3, max_response_bytes=1_000_000,
                           max_retry_after_seconds=5.0)  # fmt: skip
    return replace(base, **overrides)


class Verifier:
    """Verifies awards; holds fetch settings, the shared framework linker (`linker`) and the
    worker processes of the CPU-heavy checks (`workers`, started on first use), so one serves
    every request: keep one per process, or each builds its own linker and workers. Given
    `workers` stay the giver's to close; its own are stopped by `aclose()`."""

    def __init__(
        self,
        settings: CrawlerSettings | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        linker: SharedLinker | None = None,
        workers: CheckWorkers | None = None,
        compute_seconds: float = SECONDS,
        fetch_seconds: float = FETCH_SECONDS,
    ) -> None:
        self.settings = settings or verification_settings()
        self.transport = transport
        self.linker = linker or SharedLinker()
        self.workers = workers or CheckWorkers()
        self._owns_workers = workers is None
        self.compute_seconds = compute_seconds
        self.fetch_seconds = fetch_seconds
        if transport is None:
            system_tls()  # loaded here, once per process, rather than on the event loop

    async def verify(
        self,
        *,
        url: str | None = None,
        document: Any = None,
        store: GraphStore | None = None,
        now: datetime | None = None,
        store_seconds: float = STORE_SECONDS,
    ) -> VerificationResult:
        """Verify a URL or a document (a JSON object, JSON text or a compact JWS), and map
        its definitions onto `store`'s graph, waiting at most `store_seconds` for it.
        Raises VerificationInputError for input that names nothing we can verify."""
        if (url is None) == (document is None):
            raise VerificationInputError("give exactly one of `url` or `document`")
        if holds_lone_surrogate(url if document is None else document):
            raise _not_text("`url`" if document is None else "`document`")
        now = now or datetime.now(UTC)
        transport = self.transport or pinned_transport(
            allow_private=self.settings.allow_private_networks
        )
        compute = self.workers.allowance(self.compute_seconds)
        async with Fetcher(self.settings, transport=transport, backoff_base=0.1) as fetcher:
            remote = Remote(fetcher, seconds=self.fetch_seconds)
            if url is not None:
                draft = await self._from_url(remote, compute, _checked_url(url), now)
            else:
                draft = await self._route(remote, compute, _decoded(document), None, now)
        status = draft.checks.status()
        definitions, issuer = await _definitions(draft, compute, now)
        ingest = status in (Status.VALID, Status.EXPIRED, Status.REVOKED)
        achievements = await self._mapped(
            store, definitions, draft, ingest=ingest, seconds=store_seconds
        )
        return VerificationResult(
            status=status, checks=tuple(draft.checks.items), kind=draft.kind,
            credential_id=draft.credential_id, recipient=draft.recipient,
            issued_on=draft.issued_on, expires=draft.expires, issuer=issuer,
            achievements=tuple(achievements),
        )  # fmt: skip

    async def _mapped(
        self,
        store: GraphStore | None,
        definitions: list[Credential],
        draft: Draft,
        *,
        ingest: bool,
        seconds: float,
    ) -> list[Achievement]:
        """`_onto_graph` within `seconds`; when the store fails or does not answer by then,
        the definitions unmapped and a non-blocking `definition` check saying why: the verdict
        never depends on the graph, so a store that is down must not cost it."""
        try:
            async with asyncio.timeout(seconds):
                return await self._onto_graph(store, definitions, draft, ingest=ingest)
        except TimeoutError:
            why = f"the store did not answer within {seconds:g} s"
        except StoreError as exc:
            why = str(exc)
        draft.checks.not_checked(DEFINITION, _not_mapped(why), blocking=False)
        return unmapped(definitions)

    async def _onto_graph(
        self,
        store: GraphStore | None,
        definitions: list[Credential],
        draft: Draft,
        *,
        ingest: bool,
    ) -> list[Achievement]:
        """`definitions` linked and mapped onto `store`'s graph, ingested when `ingest` and
        some host vouches for them (else a non-blocking `definition-origin` check says why)."""
        definitions = await link_definitions(self.linker, store, definitions, draft.checks)
        refused = _unvouched(draft, definitions)
        achievements = await map_to_graph(store, definitions, ingest=ingest, refused=refused)
        if store is not None and ingest:
            for achievement in achievements:
                why = refused.get(achievement.definition.id)
                if achievement.stored is None and why is not None:
                    draft.checks.not_checked("definition-origin", why, blocking=False)
        return achievements

    async def aclose(self) -> None:
        """Stop the worker processes this verifier started (none when they were given)."""
        if self._owns_workers:
            await self.workers.aclose()

    async def _from_url(
        self,
        remote: Remote,
        compute: Allowance,
        url: str,
        now: datetime,
        *,
        follow_page: bool = False,
    ) -> Draft:
        try:
            text = await remote.text(url)
        except FetchError as exc:
            draft = Draft("unknown")
            if exc.status == 410:  # a hosted OB 2.0 assertion the issuer revoked
                draft.kind, draft.credential_id = "ob2-hosted", url
                draft.checks.failed(
                    "hosted-assertion",
                    f"HTTP 410 Gone at {url}: the issuer revoked it",
                    Status.REVOKED,
                )
            else:
                draft.checks.not_checked("fetch", f"could not fetch {url}: {exc.reason}")
            return draft
        if looks_like_html(text) and not follow_page:
            return await self._from_page(remote, compute, url, text, now)
        try:
            document = _decoded(text)
        except VerificationInputError as exc:
            draft = Draft("unknown")
            draft.checks.not_checked("document", f"{url} is not a badge we can read: {exc}")
            return draft
        return await self._route(remote, compute, document, url, now)

    async def _from_page(
        self, remote: Remote, compute: Allowance, url: str, html: str, now: datetime
    ) -> Draft:
        """A public badge page: verify the award it links to (one hop, never a chain). The
        page is up to a fetch's 1 MB of HTML, parsed in a check worker within the allowance."""
        try:
            target, embedded, how = await compute.run("badge page parsing", award_behind, url, html)
        except (Unverifiable, *MALFORMED) as exc:
            why = exc.reason if isinstance(exc, Unverifiable) else f"{type(exc).__name__}: {exc}"
            draft = Draft("unknown")
            draft.checks.not_checked("badge-page", f"the badge page {url} was not read: {why}")
            return draft
        if target is not None:
            draft = await self._from_url(remote, compute, target, now, follow_page=True)
        elif embedded is not None:
            try:
                draft = await self._route(remote, compute, embedded, None, now)
            except VerificationInputError as exc:
                draft = Draft("unknown")
                draft.checks.not_checked("document", f"the award in {url}: {exc}")
        else:
            draft = Draft("unknown")
            draft.checks.not_checked(
                "badge-page",
                f"{url} is a web page that links to no award (no JSON alternate link, no "
                "embedded award, not a Credly or Badgr page)",
            )
            return draft
        draft.checks.passed("badge-page", f"{url} is a badge page; verified {how}")
        return draft

    async def _route(
        self, remote: Remote, compute: Allowance, document: Any, url: str | None, now: datetime
    ) -> Draft:
        _check_depth(document.payload if isinstance(document, CompactJws) else document)
        if isinstance(document, CompactJws) and holds_lone_surrogate(document.payload):
            raise _not_text("the JWS payload")
        if isinstance(document, CompactJws):
            credential = credential_of(
                document.payload if isinstance(document.payload, dict) else {}
            )
            if credential:
                draft = Draft("vc-jwt")
                await verify_vc_jwt(draft, remote, compute, document, now)
                await check_embedded(draft, remote, compute, credential, now)
            else:
                draft = Draft("ob2-signed")
                await verify_signed(draft, remote, compute, document, now)
            return draft
        kind = record_kind(document)
        if kind in ("credential", "clr") or "proof" in document:
            draft = Draft("ob3-data-integrity")
            await verify_data_integrity(draft, remote, compute, document, now)
            await check_embedded(draft, remote, compute, document, now)
        elif kind == "assertion":
            from credgraph.verify.ob2 import verification_type

            if verification_type(document) == "signed":
                raise VerificationInputError(
                    "a signed OB 2.0 assertion must be sent as its JWS (the compact string), "
                    "not as the decoded JSON: the signature covers the exact bytes"
                )
            draft = Draft("ob2-hosted")
            await verify_hosted(draft, remote, document, url, now)
        else:
            raise VerificationInputError(
                f"not an award we can verify: found {kind or 'no Open Badges type'}; expected "
                "an OB 2.0 Assertion, an OB 3.0 OpenBadgeCredential, a CLR ClrCredential, "
                "or a compact JWS"
            )
        return draft


async def _definitions(
    draft: Draft, compute: Allowance, now: datetime
) -> tuple[list[Credential], Issuer | None]:
    """The definitions the draft gathered, parsed in a check worker within the allowance.
    What cannot be parsed leaves the award without a definition, never without its status
    (the checks below are non-blocking, and the status is decided before them)."""
    if draft.definition_document is None:
        return [], None
    try:
        parsed = await compute.run("definition parsing", parse_definition,
                                   draft.definition_document, draft.definition_url, now)  # fmt: skip
    except Unverifiable as exc:
        draft.checks.not_checked(DEFINITION, f"not read: {exc.reason}", blocking=False)
        return [], None
    except MALFORMED as exc:
        why = f"{type(exc).__name__}: {exc}"
        draft.checks.not_checked(DEFINITION, f"not read, it is malformed ({why})", blocking=False)
        return [], None
    if parsed.most_alignments > MAX_ALIGNMENTS:
        draft.checks.not_checked(
            DEFINITION,
            f"an alignment list has {parsed.most_alignments} entries: only the first "
            f"{MAX_ALIGNMENTS} are kept (MAX_ALIGNMENTS)",
            blocking=False,
        )
    return parsed.definitions, parsed.issuer


def _not_mapped(why: str) -> str:
    return (
        f"not mapped onto the graph: {why[:300]}; the verdict does not depend on it, "
        "verify again once the store is back to see the definition in the graph"
    )


def _unvouched(draft: Draft, definitions: list[Credential]) -> dict[str, str]:
    """Why each definition whose web ids no host vouches for is not added to the graph."""
    fetched_from = draft.definition_url if draft.definition_fetched else None
    signer = _signer(draft)
    refused = {}
    for definition in definitions:
        key = unvouched(definition, signer, fetched_from)
        if key is not None:
            refused[definition.id] = (
                f"not added to the graph: {key[:200]} is on a host neither the issuer "
                f"({(signer or 'unknown')[:200]}) nor the place the definition was read from "
                "vouches for"
            )
    return refused


def _signer(draft: Draft) -> str | None:
    """The issuer the award's proof or hosting was checked against: an OB 2.0 award's issuer
    profile, else the credential's own `issuer`. Never an achievement's `creator`, which the
    signer writes as it likes: a did:key naming Credly as its badge's creator vouched for
    Credly's addresses."""
    if draft.kind.startswith("ob2"):
        profile = draft.issuer_profile or {}
        given: Any = profile.get("id")
    else:
        given = (draft.definition_document or {}).get("issuer")
        given = given.get("id") if isinstance(given, dict) else given
    return given if isinstance(given, str) else None


def _checked_url(url: Any) -> str:
    if not isinstance(url, str) or not url.strip().lower().startswith(("https://", "http://")):
        raise VerificationInputError(f"`url` must be an http(s) URL, got {str(url)[:100]!r}")
    return url.strip()


def _check_depth(document: Any) -> None:
    """VerificationInputError when `document` nests deeper than MAX_DEPTH."""
    if nests_deeper_than(document, MAX_DEPTH):
        raise VerificationInputError(f"the document nests deeper than {MAX_DEPTH} levels")


def _decoded(document: Any) -> dict[str, Any] | CompactJws:
    """A document as given: an object, JSON text of one, or a compact JWS."""
    if isinstance(document, dict):
        _check_depth(document)  # before measuring it: a deep object is refused so, not slowly
        if _json_size(document) > MAX_DOCUMENT_BYTES:
            raise VerificationInputError(f"`document` is over {MAX_DOCUMENT_BYTES:,} bytes")
        return document
    if not isinstance(document, str):
        raise VerificationInputError(
            f"`document` must be a JSON object or a string (JSON or compact JWS), got {type(document).__name__}"
        )
    if len(document.encode()) > MAX_DOCUMENT_BYTES:
        raise VerificationInputError(f"`document` is over {MAX_DOCUMENT_BYTES:,} bytes")
    text = document.strip().strip('"')
    if looks_like_jws(text):
        return parse_jws(text)
    try:
        decoded = json.loads(document)
    except (ValueError, RecursionError) as exc:
        raise VerificationInputError(
            f"`document` is neither JSON nor a compact JWS ({exc})"
        ) from exc
    if not isinstance(decoded, dict):
        raise VerificationInputError(
            f"`document` JSON must be an object, got {type(decoded).__name__}"
        )
    if holds_lone_surrogate(decoded):  # written as a JSON escape, "\\ud800"
        raise _not_text("`document`")
    return decoded


def _json_size(document: dict[str, Any]) -> int:
    """The bytes of `document` as compact JSON in UTF-8: the size it would have as text, so
    an object is held to the limit a string is."""
    return len(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode())


def _not_text(what: str) -> VerificationInputError:
    return VerificationInputError(
        f'{what} holds a lone UTF-16 surrogate (such as "\\ud800"), which is not Unicode text'
    )


__all__ = ["MAX_DEPTH", "MAX_DOCUMENT_BYTES", "Verifier", "verification_settings"]
