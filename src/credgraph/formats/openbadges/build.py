"""Open Badges records to credgraph records: a Profile/Issuer to an Issuer, a BadgeClass
(2.0) or an Achievement (3.0, CLR 2.0) to a Credential definition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from credgraph.formats.alternate_names import alternate_names
from credgraph.formats.normalise import (
    clean_text,
    credential_type,
    credits,
    duration_from_text,
    language,
    text_value,
)
from credgraph.formats.openbadges.align import read_alignments
from credgraph.formats.openbadges.common import (
    as_list,
    http_url,
    keyword_list,
    name_text,
    obj,
    record_uri,
    short_text,
    unique,
    url_id,
)
from credgraph.model.ids import credential_id, issuer_id
from credgraph.model.records import Credential, Issuer, Provenance
from credgraph.model.values import CredentialType, Credits, Duration

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def issuer_from_profile(profile: dict[str, Any], prov: Provenance, base: str) -> Issuer | None:
    """An Issuer from an OB 2.0 Issuer/Profile or OB 3.0 Profile; None without a name."""
    name = name_text(profile.get("name"))
    if not name:
        return None
    uri = record_uri(profile.get("id"), base)
    url = http_url(profile.get("url"), base)
    return Issuer(
        id=issuer_id(ctid=None, uri=uri or url, name=name),
        name=name,
        url=url,
        description=clean_text(profile.get("description")),
        country=_country(profile),
        email=_email(profile.get("email")),
        alternate_names=alternate_names(as_list(profile.get("alternateName")), name),
        provenance=prov,
    )


def _country(profile: dict[str, Any]) -> str | None:
    address = obj(profile.get("address"))
    return name_text(address.get("addressCountryCode")) or name_text(address.get("addressCountry"))


def _email(value: Any) -> str | None:
    text = text_value(value)
    if not text:
        return None
    text = text.strip().removeprefix("mailto:")
    return text if _EMAIL.match(text) else None


@dataclass(frozen=True, slots=True)
class Definition:
    """What the caller knows about a definition beyond its own fields."""

    issuer: Issuer | None
    provenance: Provenance
    base: str
    fallback_uri: str | None = None
    micro_credential: bool = False


def definition_id(record: dict[str, Any], base: str, fallback: str | None) -> str | None:
    """The credential id of a BadgeClass/Achievement: its `id` (or Badgr's `openBadgeId`,
    `hostedUrl`), else the document URL when the record is the whole document."""
    for key in ("id", "openBadgeId", "hostedUrl", "sourceUrl"):
        uri = record_uri(record.get(key), base)
        if uri:
            return url_id(uri)
    return credential_id(ctid=None, uri=fallback) if fallback else None


def credential_from_definition(
    record: dict[str, Any], ctx: Definition
) -> tuple[Credential | None, list[str]]:
    """A Credential from a BadgeClass or Achievement, and problems worth a warning.
    None when the record has no usable name or id (the problems say which)."""
    name = name_text(record.get("name"))
    if not name:
        return None, ["no usable name; skipped"]
    cid = definition_id(record, ctx.base, ctx.fallback_uri)
    if cid is None:
        return None, [f"{name!r} has no id to identify it; skipped"]
    duration = _duration(record)
    aligned = read_alignments(
        as_list(record.get("alignment")) + as_list(record.get("alignments")), ctx.provenance
    )
    credential = Credential(
        id=cid,
        name=name,
        type=_type(record, ctx.micro_credential),
        description=clean_text(record.get("description")),
        url=_page_url(record, ctx.base),
        issuer=ctx.issuer,
        language=language(
            record.get("inLanguage") or record.get("language") or record.get("@language")
        ),
        duration_hours=duration.max_hours if duration else None,
        duration=duration,
        credits=_credits(record),
        level=aligned.level or name_text(record.get("eqfLevel") or record.get("level")),
        assessment=_assessment(record),
        delivery_mode=short_text(record.get("participationType")),
        accredited_by=tuple(aligned.accreditors),
        prerequisites=clean_text(record.get("prerequisites")),
        criteria=_criteria(record, ctx.base),
        keywords=keyword_list(
            record.get("tags"),
            record.get("tag"),
            record.get("fieldOfStudy"),
            record.get("specialization"),
            record.get("humanCode"),
        ),
        alternate_names=alternate_names(as_list(record.get("alternateName")), name),
        skills=tuple(aligned.skills),
        occupations=tuple(aligned.occupations),
        prepares_for=tuple(p for p in aligned.prepares_for if p != cid),
        provenance=ctx.provenance,
    )
    return credential, aligned.problems


def _type(record: dict[str, Any], micro_credential: bool) -> CredentialType:
    """achievementType when it names a known kind; an EU micro-credential when the credential
    declares one; otherwise a badge, which every Open Badge is."""
    kind = credential_type(record.get("achievementType"))
    if kind is CredentialType.OTHER:
        kind = credential_type([t for t in as_list(record.get("type")) if isinstance(t, str)])
        kind = kind if kind is not CredentialType.OTHER else CredentialType.BADGE
        if micro_credential and kind is CredentialType.BADGE:
            kind = CredentialType.MICRO_CREDENTIAL
    return kind


def _page_url(record: dict[str, Any], base: str) -> str | None:
    for key in ("url", "hostedUrl", "id", "openBadgeId"):
        url = http_url(record.get(key), base)
        if url:
            return url
    return None


def _credits(record: dict[str, Any]) -> Credits | None:
    if record.get("ECTS") is not None:
        found = credits(record.get("ECTS"), "ECTS")
        if found is not None:
            return found
    available = record.get("creditsAvailable")
    if isinstance(available, (int, float, str)) and not isinstance(available, bool):
        # OB 3.0 defines creditsAvailable as credit hours.
        return credits(available, "credit hours")
    return None


def _duration(record: dict[str, Any]) -> Duration | None:
    # Edubadges extensions: timeInvestment (hours) and SBU (study-load hours, Dutch MBO).
    found = [
        d
        for key in ("timeInvestment", "SBU", "studyLoad")
        if (d := duration_from_text(record.get(key))) is not None
    ]
    return next((d for d in found if d.max_hours), found[0] if found else None)


def _assessment(record: dict[str, Any]) -> str | None:
    """EU assessment type (with supervision and identity check when stated), else the names
    of the result descriptions (how achievement is measured)."""
    kind = name_text(record.get("assessmentType"))
    if kind:
        extra = [f"supervision: {s}" for s in [name_text(record.get("supervisionType"))] if s]
        if record.get("identityChecked") is True:
            extra.append("identity checked")
        return short_text("; ".join([kind, *extra]))
    results = []
    for item in as_list(record.get("resultDescription")):
        item = obj(item)
        label = name_text(item.get("name"))
        result_type = name_text(item.get("resultType"))
        if label:
            kind_text = result_type.split(":")[-1] if result_type else None
            results.append(f"{label} ({kind_text})" if kind_text else label)
    return short_text("; ".join(unique(results))) if results else None


def _criteria(record: dict[str, Any], base: str) -> str | None:
    criteria = record.get("criteria")
    if isinstance(criteria, str):
        return http_url(criteria, base) or clean_text(criteria)
    found = obj(criteria)
    narrative = clean_text(found.get("narrative") or record.get("criteriaNarrative"))
    return narrative or http_url(found.get("id") or record.get("criteriaUrl"), base)
