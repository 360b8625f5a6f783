"""OB 2.0 hosted assertions, served by a real local HTTP server and fetched through the
Fetcher: the hosted copy is the truth, 410 and `revoked` mean revoked, expiry, scope."""

from __future__ import annotations

from credgraph.verify import Outcome, Status, VerificationResult
from tests.verify.helpers import verifier
from tests.verify.ob2_site import EMAIL, Ob2Site, ob2_site


def check(result: VerificationResult, name: str) -> tuple[Outcome, str]:
    found = next(c for c in result.checks if c.name == name)
    return found.outcome, found.reason


async def serve_and_verify(site: Ob2Site, path: str, **changes: object) -> VerificationResult:
    url = site.serve(path, site.assertion(path, **changes))
    return await verifier().verify(url=url)


async def test_a_hosted_assertion_verifies_and_its_badge_is_normalised() -> None:
    with ob2_site() as site:
        result = await serve_and_verify(site, "/assertions/1.json")
    assert result.status is Status.VALID, result.checks
    assert result.kind == "ob2-hosted"
    assert [c.name for c in result.checks] == [
        "hosted-assertion",
        "badge",
        "issuer",
        "verification-scope",
        "recipient",
        "issued",
        "expiry",
    ]
    assert result.issuer is not None and result.issuer.name == "Robotics Academy"
    [achievement] = result.achievements
    assert achievement.definition.name == "Robotics Fundamentals"
    assert achievement.definition.criteria
    assert [s.skill.name for s in achievement.definition.skills] == ["Robotics"]
    assert result.expires is not None and result.expires.year == 2099


async def test_the_hashed_recipient_stays_hashed_and_can_be_matched() -> None:
    with ob2_site() as site:
        result = await serve_and_verify(site, "/assertions/1.json")
    assert result.recipient is not None and result.recipient.hashed
    assert result.recipient.identity.startswith("sha256$")
    assert result.matches_recipient(EMAIL) is True
    assert result.matches_recipient(EMAIL.upper()) is True  # addresses are case-insensitive
    assert result.matches_recipient("someone@example.org") is False


async def test_a_submitted_copy_is_checked_against_the_hosted_one() -> None:
    with ob2_site() as site:
        hosted = site.assertion("/assertions/1.json")
        site.serve("/assertions/1.json", hosted)
        forged = {**hosted, "expires": None, "issuedOn": "2020-01-01T00:00:00Z"}
        result = await verifier().verify(document=forged)
    # The hosted copy is the truth: its dates are reported, not the submitted ones.
    assert result.status is Status.VALID
    assert result.issued_on is not None and result.issued_on.year == 2024


async def test_http_410_means_revoked() -> None:
    with ob2_site() as site:
        gone = site.serve("/assertions/gone.json", {"id": "x", "revoked": True}, status=410)
        result = await verifier().verify(url=gone)
        as_document = await verifier().verify(document=site.assertion("/assertions/gone.json"))
    for answer in (result, as_document):
        assert answer.status is Status.REVOKED
        outcome, reason = check(answer, "hosted-assertion")
        assert outcome is Outcome.FAILED and "410" in reason


async def test_a_hosted_assertion_marked_revoked_is_revoked() -> None:
    with ob2_site() as site:
        result = await serve_and_verify(
            site, "/assertions/revoked.json", revoked=True, revocationReason="Honor code violation"
        )
    assert result.status is Status.REVOKED
    assert check(result, "revoked") == (
        Outcome.FAILED,
        "the hosted assertion says revoked: Honor code violation",
    )


async def test_an_expired_assertion_is_expired() -> None:
    with ob2_site() as site:
        result = await serve_and_verify(
            site, "/assertions/old.json", expires="2020-06-30T23:59:59Z"
        )
    assert result.status is Status.EXPIRED
    outcome, reason = check(result, "expiry")
    assert outcome is Outcome.FAILED and "2020-06-30" in reason


async def test_an_assertion_outside_the_issuers_allowed_origins_is_invalid() -> None:
    with ob2_site(verification={"allowedOrigins": ["badges.example.org"]}) as site:
        result = await serve_and_verify(site, "/assertions/1.json")
    assert result.status is Status.INVALID
    outcome, reason = check(result, "verification-scope")
    assert outcome is Outcome.FAILED and "allowedOrigins" in reason


async def test_an_assertion_outside_the_issuers_starts_with_is_invalid() -> None:
    with ob2_site() as site:
        site.serve("/issuer.json", {
            **__import__("json").loads(site.server.routes["/issuer.json"].body),
            "verification": {"startsWith": [site.url("/assertions/")]},
        })  # fmt: skip
        inside = await serve_and_verify(site, "/assertions/1.json")
        outside = await serve_and_verify(site, "/elsewhere/1.json")
    assert inside.status is Status.VALID
    assert outside.status is Status.INVALID
    assert check(outside, "verification-scope")[0] is Outcome.FAILED


async def test_a_badge_that_does_not_resolve_makes_it_unverifiable() -> None:
    with ob2_site() as site:
        result = await serve_and_verify(site, "/assertions/1.json", badge=site.url("/missing.json"))
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = check(result, "badge")
    assert outcome is Outcome.NOT_CHECKED and "404" in reason


async def test_the_ssrf_guard_refuses_loopback_by_default() -> None:
    from credgraph.verify import Verifier

    with ob2_site() as site:
        url = site.serve("/assertions/1.json", site.assertion("/assertions/1.json"))
        result = await Verifier().verify(url=url)
    assert result.status is Status.UNVERIFIABLE
    outcome, reason = check(result, "fetch")
    assert outcome is Outcome.NOT_CHECKED and "127.0.0.1" in reason
    assert site.server.hits("/assertions/1.json") == []
