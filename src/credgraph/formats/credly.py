"""Credly badge templates: organisation listings from the public site
(`/organizations/{org}/badges`, Accept: application/json) and the Web Service API
(`/v1/organizations/{org}/badge_templates`), and a person's earned-badge listing
(`/users/{user}/badges`), whose every badge holds the template it was awarded from.

All answer `{data: [item...], metadata: {next_page_url...}}`. A template becomes a
credential definition; its owner (API) or primary issuing entity (public site) its issuer.
An earned badge is an award, not a definition: its `badge_template` is what is catalogued
(once, however many badges of it the person holds). Templates that are not public (state
draft or archived, `public: false`, private visibility) are left out: they are not part of a
public catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from credgraph.formats.base import Document, ParseError, ParseResult, json_parser
from credgraph.formats.durations import published_duration
from credgraph.formats.normalise import (
    clean_text,
    credential_type,
    hours_from_text,
    language,
    money,
)
from credgraph.formats.openbadges.align import read_alignments
from credgraph.formats.openbadges.common import (
    RECORD_ERRORS,
    Collector,
    add_next_page,
    as_list,
    body_next_page,
    http_url,
    name_text,
    obj,
    record_uri,
    unique,
    where,
)
from credgraph.model.ids import credential_id, issuer_id, skill_id
from credgraph.model.records import Credential, Issuer, Provenance, Skill, SkillLink
from credgraph.model.values import CredentialType, Duration, Money, SkillRelation

SKILL_METHOD = "credly:skills"
CREDLY = "https://www.credly.com"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_NOT_PUBLIC_STATES = frozenset({"draft", "archived", "inactive", "deleted"})


@json_parser
def parse(doc: Document, data: Any) -> ParseResult:
    if isinstance(data, list):
        templates, body = data, {}
    elif isinstance(data, dict) and isinstance(data.get("data"), list):
        templates, body = data["data"], data
    else:
        raise ParseError(
            doc.url,
            "not a Credly badge-template listing (expected an object "
            f"with a data array, got {_shape(data)})",
        )
    result = ParseResult()
    collected = Collector(doc)
    for index, template in enumerate(templates):
        label = where(index, template)
        if not isinstance(template, dict):
            collected.warn(f"{label}: not an object; skipped")
            continue
        template = _definition(template)
        try:
            credential, problems = template_credential(template, doc.provenance())
        except RECORD_ERRORS as exc:
            collected.warn(f"{label}: unreadable ({type(exc).__name__}: {exc}); skipped")
            continue
        for problem in problems:
            collected.warn(f"{label}: {problem}")
        if credential is not None:
            collected.credential(credential, label)
    add_next_page(result, doc, body_next_page(body, doc.url))
    return collected.into(result)


def _definition(item: dict[str, Any]) -> dict[str, Any]:
    """The badge template an item defines: the item itself, or the template an earned badge
    holds (a badge's own state and visibility are the earner's, not the template's)."""
    held = item.get("badge_template")
    return held if isinstance(held, dict) else item


def _shape(data: Any) -> str:
    if isinstance(data, dict):
        return "an object with keys " + ", ".join(sorted(map(str, data))[:10])
    return type(data).__name__


def template_credential(
    template: dict[str, Any], prov: Provenance
) -> tuple[Credential | None, list[str]]:
    """A credential from one badge template, and problems worth a warning."""
    name = name_text(template.get("name"))
    if not name:
        return None, ["no usable name; skipped"]
    hidden = _not_public(template)
    if hidden:
        return None, [f"{name!r} is {hidden}; skipped"]
    issuer = template_issuer(template, prov)
    url = _template_url(template, issuer)
    cid = _template_id(template, url)
    if cid is None:
        return None, [f"{name!r} has no URL or id to identify it; skipped"]
    aligned = read_alignments(template.get("alignments"), prov)
    duration = _duration(template.get("time_to_earn"), template.get("time_to_earn_unit"))
    credential = Credential(
        id=cid,
        name=name,
        type=_type(template.get("type_category")),
        description=clean_text(template.get("description")),
        url=url,
        issuer=issuer,
        language=language(template.get("language")),
        duration_hours=duration.max_hours if duration else None,
        duration=duration,
        level=name_text(template.get("level")),
        cost=_cost(template),
        accredited_by=tuple(aligned.accreditors),
        requires=_required(template),
        criteria=_criteria(template),
        skills=tuple(_skills(template.get("skills"), prov)) + tuple(aligned.skills),
        occupations=tuple(aligned.occupations),
        provenance=prov,
    )
    return credential, aligned.problems


def _not_public(template: dict[str, Any]) -> str | None:
    state = template.get("state")
    if isinstance(state, str) and state.strip().lower() in _NOT_PUBLIC_STATES:
        return f"in state {state.strip().lower()}"
    if template.get("public") is False:
        return "not public"
    if str(template.get("visibility", "")).lower() == "private":
        return "private"
    return None


def _type(category: Any) -> CredentialType:
    """Credly's type_category (Certification, Learning, Validation, Experience...): a named
    kind when it is one, otherwise a badge, which every Credly template is."""
    kind = credential_type(category)
    return kind if kind is not CredentialType.OTHER else CredentialType.BADGE


def _duration(amount: Any, unit: Any) -> Duration | None:
    """time_to_earn as published ("6 weeks", "Weeks", "12 hours"), with its hours (_hours)."""
    unit_text = " ".join(unit.split()) if isinstance(unit, str) else ""
    number = _number(amount)
    if unit_text and number is not None:
        published = f"{number:g} {unit_text}"
    elif isinstance(amount, str):
        published = amount
    else:
        return None
    hours = _hours(amount, unit)
    return published_duration(published, hours, hours)


def _hours(amount: Any, unit: Any) -> float | None:
    """time_to_earn in hours or minutes; weeks, months and other calendar units are unknown,
    and so is a bare number without a unit."""
    unit_text = unit.strip().lower() if isinstance(unit, str) else ""
    if not unit_text:
        return hours_from_text(amount) if isinstance(amount, str) else None
    if not unit_text.startswith(("hour", "hr", "minute", "min")):
        return None
    number = _number(amount)
    if number is None or number <= 0:
        return None
    return round(number / 60 if unit_text.startswith("min") else number, 4)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _cost(template: dict[str, Any]) -> Money | None:
    cost = template.get("cost")
    if cost is None or isinstance(cost, (dict, list, bool)):
        return None
    return money(cost, template.get("currency") or template.get("cost_currency"))


def template_issuer(template: dict[str, Any], prov: Provenance) -> Issuer | None:
    """The owner (API) or the primary issuing entity (public listing)."""
    entity = obj(template.get("owner"))
    if not entity:
        entities = [obj(e) for e in as_list(obj(template.get("issuer")).get("entities"))]
        primary = [e for e in entities if e.get("primary")] or entities
        entity = obj(primary[0].get("entity")) if primary else {}
    name = name_text(entity.get("name"))
    if not name:
        return None
    page = http_url(entity.get("vanity_url"))
    document = http_url(entity.get("url"))
    slug = entity.get("vanity_slug")
    if page is None and isinstance(slug, str) and re.fullmatch(r"[\w.-]+", slug):
        page = f"{CREDLY}/org/{slug}"
    return Issuer(
        id=issuer_id(ctid=None, uri=document or page, name=name),
        name=name,
        url=page or document,
        description=clean_text(entity.get("description")),
        provenance=prov,
    )


def _template_url(template: dict[str, Any], issuer: Issuer | None) -> str | None:
    """The public badge page: `url`, else built from the owner's and the template's slugs."""
    url = http_url(template.get("url"))
    if url:
        return url
    slug = template.get("vanity_slug")
    org_slug = obj(template.get("owner")).get("vanity_slug") or template.get("owner_vanity_slug")
    if not org_slug and issuer is not None and issuer.url and "/org/" in issuer.url:
        org_slug = issuer.url.rsplit("/org/", 1)[1].split("/")[0]
    if all(isinstance(s, str) and re.fullmatch(r"[\w.-]+", s) for s in (slug, org_slug)):
        return f"{CREDLY}/org/{org_slug}/badge/{slug}"
    return None


def _template_id(template: dict[str, Any], url: str | None) -> str | None:
    if url:
        return credential_id(ctid=None, uri=url)
    uuid = template.get("id")
    if isinstance(uuid, str) and _UUID.match(uuid.strip()):
        return f"urn:uuid:{uuid.strip().lower()}"
    return None


def _skills(skills: Any, prov: Provenance) -> list[SkillLink]:
    links: dict[str, SkillLink] = {}
    for item in as_list(skills):
        label = name_text(item if isinstance(item, str) else obj(item).get("name"))
        if label:
            skill = Skill(
                id=skill_id(uri=None, framework=None, code=None, label=label),
                name=label,
                provenance=prov,
            )
            links.setdefault(skill.id, SkillLink(skill, SkillRelation.TEACHES, SKILL_METHOD, 1.0))
    return list(links.values())


def _criteria(template: dict[str, Any]) -> str | None:
    """The earning activities as a narrative, one per line ("Course: title (url)")."""
    lines = []
    for activity in as_list(template.get("badge_template_activities")):
        activity = obj(activity)
        title = name_text(activity.get("title"))
        if not title:
            continue
        kind = name_text(activity.get("activity_type") or activity.get("type"))
        url = http_url(activity.get("activity_url") or activity.get("url"))
        line = f"{kind}: {title}" if kind else title
        lines.append(f"{line} ({url})" if url else line)
    if lines:
        return "\n".join(unique(lines))
    return http_url(template.get("criteria_url")) or clean_text(template.get("criteria"))


def _required(template: dict[str, Any]) -> tuple[str, ...]:
    """Templates that must be earned first, by public URL when given, else by uuid."""
    found = []
    for item in as_list(template.get("required_badge_templates")):
        record = obj(item)
        uri = record_uri(record.get("url")) if record else None
        uuid = record.get("id") if record else item
        if uri:
            found.append(credential_id(ctid=None, uri=uri))
        elif isinstance(uuid, str) and _UUID.match(uuid.strip()):
            found.append(f"urn:uuid:{uuid.strip().lower()}")
    return unique(found)
