"""Open Badges 2.0 assertions, hosted and signed (OB 2.0 spec, "Verification"):

hosted   the assertion at its HTTP `id` is the truth: fetched there (HTTP 410 = revoked),
         `revoked` honoured; its badge and the badge's issuer resolve; the id is within the
         issuer's `verification` scope (`startsWith`, else `allowedOrigins`, else the
         issuer id's host); recipient, dates.
signed   a compact JWS (RS256) whose payload is the assertion; the key (`verification.creator`
         or the issuer's `publicKey`) is a CryptographicKey owned by the issuer and listed in
         its profile; the issuer's `revocationList`; recipient, dates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from credgraph.errors import FetchError
from credgraph.verify.dates import check_dates
from credgraph.verify.draft import Draft
from credgraph.verify.errors import Unverifiable
from credgraph.verify.jws import CompactJws, signature_valid
from credgraph.verify.keys import pem_key
from credgraph.verify.recipient import ob2_recipient
from credgraph.verify.remote import Remote
from credgraph.verify.result import Status
from credgraph.verify.signatures import PublicKey
from credgraph.verify.status_list import check_list
from credgraph.verify.workers import Allowance


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _http(value: Any) -> bool:
    return isinstance(value, str) and value.lower().startswith(("https://", "http://"))


def verification_type(assertion: dict[str, Any]) -> str:
    verification = assertion.get("verification") or assertion.get("verify") or {}
    kind = verification.get("type") if isinstance(verification, dict) else None
    lowered = {str(t).lower() for t in _as_list(kind)}
    if lowered & {"signed", "signedbadge"}:
        return "signed"
    return "hosted"


async def verify_hosted(
    draft: Draft, remote: Remote, submitted: dict[str, Any] | None, url: str | None,
    now: datetime,
) -> None:  # fmt: skip
    checks = draft.checks
    assertion_id = submitted.get("id") if submitted else url
    if not _http(assertion_id):
        checks.failed(
            "assertion-id", f"a hosted assertion's id must be an HTTP URL, got {assertion_id!r}"
        )
        return
    assert isinstance(assertion_id, str)
    draft.credential_id = assertion_id
    try:
        hosted = await remote.json(assertion_id)
    except FetchError as exc:
        if exc.status == 410:
            checks.failed(
                "hosted-assertion",
                f"HTTP 410 Gone at {assertion_id}: the issuer revoked it",
                Status.REVOKED,
            )
        else:
            checks.not_checked("hosted-assertion", f"could not fetch the assertion: {exc}")
        return
    except Unverifiable as exc:
        checks.not_checked("hosted-assertion", exc.reason)
        return
    if not isinstance(hosted, dict):
        checks.failed("hosted-assertion", f"{assertion_id} is not a JSON object")
        return
    if hosted.get("id") != assertion_id:
        checks.failed(
            "hosted-assertion", f"the document at {assertion_id} has id {hosted.get('id')!r}"
        )
        return
    checks.passed("hosted-assertion", f"fetched from {assertion_id}")
    if hosted.get("revoked") is True:
        reason = hosted.get("revocationReason")
        checks.failed(
            "revoked",
            "the hosted assertion says revoked" + (f": {reason}" if reason else ""),
            Status.REVOKED,
        )
        return
    issuer = await _badge_and_issuer(draft, remote, hosted, assertion_id)
    if issuer is not None:
        _check_scope(draft, issuer, assertion_id)
    _recipient_and_dates(draft, hosted, now)


async def verify_signed(
    draft: Draft, remote: Remote, compute: Allowance, jws: CompactJws, now: datetime
) -> None:
    checks = draft.checks
    assertion = jws.payload
    if jws.alg != "RS256":
        checks.failed("jws-algorithm", f"alg {jws.alg!r}: OB 2.0 signed badges use RS256")
        return
    checks.passed("jws-algorithm", "RS256")
    if not isinstance(assertion, dict):
        checks.failed("jws-payload", "the JWS payload is not an assertion object")
        return
    draft.credential_id = str(assertion.get("id")) if assertion.get("id") else None
    issuer = await _badge_and_issuer(draft, remote, assertion, None)
    if issuer is None:
        checks.not_checked("signature", "no issuer profile to take the key from")
        return
    key = await _issuer_key(draft, remote, assertion, issuer)
    if key is None:
        return
    key_id, public_key = key
    if signature_valid(jws, public_key):
        checks.passed("signature", f"RS256 signature verified with {key_id}")
    else:
        checks.failed("signature", f"the signature does not verify with the issuer's key {key_id}")
        return
    revocation = issuer.get("revocationList")
    ids = {str(v) for v in (assertion.get("id"), assertion.get("uid")) if v}
    if _http(revocation):
        await check_list(checks, remote, compute, str(revocation), "revokedAssertions", ids)
    else:
        checks.not_checked("revocation", "the issuer publishes no revocationList", blocking=False)
    _recipient_and_dates(draft, assertion, now)


async def _resolve(draft: Draft, remote: Remote, value: Any, what: str) -> dict[str, Any] | None:
    """An embedded object, or the JSON at its URL; the check is named `<what>`."""
    if isinstance(value, dict):
        draft.checks.passed(what, f"embedded {what}")
        return value
    if not _http(value):
        draft.checks.failed(what, f"{what} is neither an object nor an HTTP URL: {value!r}")
        return None
    try:
        found = await _bounded_json(remote, str(value))
    except (FetchError, Unverifiable) as exc:
        draft.checks.not_checked(what, f"{what} {value} could not be read: {exc}")
        return None
    if not isinstance(found, dict):
        draft.checks.failed(what, f"{what} {value} is not a JSON object")
        return None
    if found.get("id") not in (None, value):
        draft.checks.failed(what, f"{value} holds a document with id {found.get('id')!r}")
        return None
    draft.checks.passed(what, f"{what} resolves at {value}")
    return {**found, "id": found.get("id", value)}


async def _bounded_json(remote: Remote, url: str) -> Any:
    """The JSON at `url`, no deeper than a submitted document may be (`Remote.json`): it
    becomes the definition parsed (in a check worker, within the allowance) and linked (its
    alignments cut to `MAX_ALIGNMENTS`). Its size is the fetch's cap: OB 2.0 lets a badge
    class carry its image as a data URI, so a valid one is often larger than a document sent
    inline."""
    return await remote.json(url)


async def _badge_and_issuer(
    draft: Draft, remote: Remote, assertion: dict[str, Any], assertion_url: str | None
) -> dict[str, Any] | None:
    badge = await _resolve(draft, remote, assertion.get("badge"), "badge")
    if badge is None:
        return None
    issuer = await _resolve(draft, remote, badge.get("issuer"), "issuer")
    if issuer is None:
        return None
    draft.issuer_profile = issuer
    draft.definition_document = {**badge, "issuer": issuer}
    draft.definition_url = badge.get("id") if _http(badge.get("id")) else assertion_url
    draft.definition_fetched = _http(assertion.get("badge"))
    return issuer


def _check_scope(draft: Draft, issuer: dict[str, Any], assertion_id: str) -> None:
    """The issuer's verification rules for hosted assertions (`startsWith` first, then
    `allowedOrigins`, else the issuer id's own host)."""
    found = issuer.get("verification")
    rules: dict[str, Any] = found if isinstance(found, dict) else {}
    starts = [s for s in _as_list(rules.get("startsWith")) if isinstance(s, str)]
    origins = [o.lower() for o in _as_list(rules.get("allowedOrigins")) if isinstance(o, str)]
    host = (urlsplit(assertion_id).hostname or "").lower()
    port = urlsplit(assertion_id).port
    netloc = f"{host}:{port}" if port else host
    if starts:
        ok, rule = any(assertion_id.startswith(s) for s in starts), f"startsWith {starts}"
    elif origins:
        ok, rule = host in origins or netloc in origins, f"allowedOrigins {origins}"
    else:
        issuer_host = (urlsplit(str(issuer.get("id", ""))).hostname or "").lower()
        ok, rule = host == issuer_host, f"the issuer id's host {issuer_host!r}"
    if ok:
        draft.checks.passed("verification-scope", f"{assertion_id} is within {rule}")
    else:
        draft.checks.failed("verification-scope", f"{assertion_id} is outside {rule}")


async def _issuer_key(
    draft: Draft, remote: Remote, assertion: dict[str, Any], issuer: dict[str, Any]
) -> tuple[str, PublicKey] | None:
    checks = draft.checks
    found = assertion.get("verification")
    verification: dict[str, Any] = found if isinstance(found, dict) else {}
    listed = [k if isinstance(k, str) else k.get("id") for k in _as_list(issuer.get("publicKey"))
              if isinstance(k, (str, dict))]  # fmt: skip
    creator = verification.get("creator")
    if creator is not None and creator not in listed:
        checks.failed("signing-key", f"key {creator} is not among the issuer's publicKey {listed}")
        return None
    key_ref = creator or (issuer.get("publicKey") if not isinstance(issuer.get("publicKey"), list)
                          else issuer["publicKey"][0] if issuer["publicKey"] else None)  # fmt: skip
    if key_ref is None:
        checks.not_checked("signing-key", "the issuer profile names no publicKey")
        return None
    key_doc = key_ref if isinstance(key_ref, dict) else None
    key_id = key_ref.get("id") if isinstance(key_ref, dict) else key_ref
    if key_doc is None:
        if not _http(key_ref):
            checks.failed("signing-key", f"publicKey {key_ref!r} is not an HTTP URL")
            return None
        try:
            key_doc = await remote.json(str(key_ref))
        except (FetchError, Unverifiable) as exc:
            checks.not_checked("signing-key", f"key {key_ref} could not be read: {exc}")
            return None
    if not isinstance(key_doc, dict):
        checks.failed("signing-key", f"key {key_id} is not a JSON object")
        return None
    if key_doc.get("owner") != issuer.get("id"):
        checks.failed(
            "signing-key",
            f"key {key_id} is owned by {key_doc.get('owner')!r}, not the issuer {issuer.get('id')!r}",
        )
        return None
    try:
        public_key = pem_key(key_doc.get("publicKeyPem"))
    except Unverifiable as exc:
        checks.not_checked("signing-key", f"key {key_id}: {exc.reason}")
        return None
    checks.passed("signing-key", f"CryptographicKey {key_id} owned by the issuer")
    return str(key_id), public_key


def _recipient_and_dates(draft: Draft, assertion: dict[str, Any], now: datetime) -> None:
    draft.recipient = ob2_recipient(assertion.get("recipient"))
    if draft.recipient is None:
        draft.checks.failed("recipient", "the assertion has no recipient identity")
    else:
        hashed = "hashed " if draft.recipient.hashed else ""
        draft.checks.passed("recipient", f"{hashed}{draft.recipient.type or 'identity'} recipient")
    draft.issued_on, draft.expires = check_dates(
        draft.checks, now, issued=("issuedOn", assertion.get("issuedOn")),
        expires=("expires", assertion.get("expires")),
    )  # fmt: skip
