"""Coursera catalog API (`courses.v1`): `{elements: [course...], paging: {next, total},
linked: {"partners.v1": [...]}}`.

Every course is a COURSE credential at `https://www.coursera.org/learn/<slug>`, issued by its
first partner. Paging is by offset: `paging.next` is the `start` of the next page, so the next
URL is this document's URL with `start` replaced. Partners missing from `linked` (recent
responses leave it empty) are asked for in `needs` as one `partners.v1?ids=...` request.

Other resources carry courses too: `onDemandSpecializations.v1?includes=courseIds` answers
specializations in `elements` and their courses under `linked["courses.v1"]`, and
`memberships.v1` answers enrolments with the courses under `linked`. Courses under `linked`
are read like elements; a specialization (an element naming `courseIds`) is a CERTIFICATE at
`/specializations/<slug>` whose parts are its courses; any other element is skipped with a
warning, so a response with records never yields nothing silently.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from credgraph.formats.base import Document, ParseError, ParseResult, json_parser
from credgraph.formats.durations import published_duration
from credgraph.formats.normalise import clean_text, hours_from_text, language
from credgraph.formats.openbadges.common import (
    RECORD_ERRORS,
    Collector,
    as_list,
    http_url,
    keyword_list,
    name_text,
    obj,
    unique,
    where,
)
from credgraph.model.ids import credential_id, issuer_id
from credgraph.model.records import Credential, Issuer, Provenance
from credgraph.model.values import CredentialType

COURSE_PAGE = "https://www.coursera.org/learn/"
SPECIALIZATION_PAGE = "https://www.coursera.org/specializations/"
API = "https://api.coursera.org/api/"
PARTNER_FIELDS = "name,shortName,description,homeLink,links"
_SLUG = re.compile(r"^[\w.~-]+$")
_RATE = re.compile(r"(?:/|\bper\b|\ba\b|\beach\b)\s*(?:week|wk|day|month)", re.IGNORECASE)
_WEEKS = re.compile(r"(\d+)\s*(?:-|–|to)?\s*(\d+)?\s*weeks?\b(?!\s*/)", re.IGNORECASE)


@json_parser
def parse(doc: Document, data: Any) -> ParseResult:
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        shape = (
            f"an object with keys {', '.join(sorted(map(str, data))[:10])}"
            if isinstance(data, dict)
            else type(data).__name__
        )
        raise ParseError(
            doc.url,
            f"not a Coursera API response (expected an object with an elements array, got {shape})",
        )
    result = ParseResult()
    collected = Collector(doc)
    partners, nameless = _partners(data, doc.provenance())
    if nameless:
        collected.warn(f"partners {', '.join(nameless)}: no usable name; skipped")
    failed = _fetched_partners(doc, partners)
    missing: list[str] = []
    unfetched: list[str] = []
    linked = _linked_courses(data)
    slugs = {
        str(c["id"]): c
        for c in linked
        if isinstance(c, dict) and isinstance(c.get("id"), (str, int))
    }
    others: list[str] = []
    records = [(where(i, c), c) for i, c in enumerate(data["elements"])]
    records += [(where(f"linked course #{i}", c), c) for i, c in enumerate(linked)]
    for label, course in records:
        if not isinstance(course, dict):
            collected.warn(f"{label}: not an object; skipped")
            continue
        kind = _element_kind(course)
        if kind == "other":
            others.append(label)
            continue
        try:
            if kind == "specialization":
                credential, wanted = specialization_credential(
                    course, slugs, partners, doc.provenance()
                )
            else:
                credential, wanted = course_credential(course, partners, doc.provenance())
        except RECORD_ERRORS as exc:
            collected.warn(f"{label}: unreadable ({type(exc).__name__}: {exc}); skipped")
            continue
        if credential is None:
            reason = "no usable name" if not name_text(course.get("name")) else "no slug or id"
            collected.warn(f"{label}: {reason}; skipped")
            continue
        missing.extend(w for w in wanted if w not in failed)
        unfetched.extend(w for w in wanted if w in failed)
        collected.credential(credential, label)
    if missing:
        result.needs.append(partners_url(unique(missing)))
    if unfetched:
        collected.warn(
            f"partners {', '.join(unique(unfetched))} could not be fetched; "
            "their courses have no issuer"
        )
    if others:
        collected.warn(
            f"{len(others)} elements are not courses or specializations (such as "
            f"memberships); skipped: {', '.join(others[:5])}"
        )
    if records and not collected.credentials:
        collected.warn(f"no courses in this response ({len(records)} records read)")
    for pid, partner in partners.items():
        collected.issuer(partner, f"partner {pid}")
    _next_page(result, collected, doc, obj(data.get("paging")).get("next"))
    return collected.into(result)


def _linked_courses(data: dict[str, Any]) -> list[Any]:
    """Courses under `linked`: `courses.v1` (or `{"courses": {"v1": [...]}}`) and
    `onDemandCourses.v1`."""
    linked = obj(data.get("linked"))
    found: list[Any] = []
    for name in ("courses", "onDemandCourses"):
        found += as_list(linked.get(f"{name}.v1")) or as_list(obj(linked.get(name)).get("v1"))
    return found


def _element_kind(record: dict[str, Any]) -> str:
    """ "specialization" (names its courses), "other" (an enrolment or other record that
    points at a course instead of being one), or "course"."""
    if isinstance(record.get("courseIds"), list):
        return "specialization"
    if "courseId" in record or "role" in record:
        return "other"
    return "course"


def specialization_credential(
    record: dict[str, Any],
    courses: dict[str, Any],
    partners: dict[str, Issuer],
    prov: Provenance,
) -> tuple[Credential | None, list[str]]:
    """A specialization: a CERTIFICATE whose parts are the courses `linked` names."""
    slug = record.get("slug")
    if not isinstance(slug, str) or not _SLUG.match(slug.strip()):
        return None, []
    course, wanted = course_credential(record, partners, prov)
    if course is None:
        return None, wanted
    url = SPECIALIZATION_PAGE + slug.strip()
    parts = [
        COURSE_PAGE + str(c["slug"]).strip()
        for i in as_list(record.get("courseIds"))
        if isinstance(c := courses.get(str(i)), dict)
        and isinstance(c.get("slug"), str)
        and _SLUG.match(c["slug"].strip())
    ]
    return dataclasses.replace(
        course,
        id=credential_id(ctid=None, uri=url),
        url=url,
        type=CredentialType.CERTIFICATE,
        has_part=unique(credential_id(ctid=None, uri=p) for p in parts),
    ), wanted


def partners_url(ids: tuple[str, ...]) -> str:
    """The partners.v1 request that fetches the named partners."""
    return f"{API}partners.v1?ids={','.join(sorted(ids))}&fields={PARTNER_FIELDS}"


def _partners(data: dict[str, Any], prov: Provenance) -> tuple[dict[str, Issuer], list[str]]:
    """Embedded partners by id, and the ids of those skipped for want of a name (so the
    parse can say so instead of losing them silently)."""
    linked = obj(data.get("linked"))
    records = linked.get("partners.v1")
    if records is None:
        records = obj(linked.get("partners")).get("v1")
    found: dict[str, Issuer] = {}
    nameless: list[str] = []
    for item in as_list(records):
        pid, issuer = _partner(item, prov)
        if issuer is None:
            if isinstance(item, dict):  # a partner record; other junk names no partner
                nameless.append(pid or "without id")
        else:
            found[pid] = issuer
    return found, nameless


def _fetched_partners(doc: Document, partners: dict[str, Issuer]) -> set[str]:
    """Adds partners from partners.v1 answers the crawl fetched (in `doc.linked`); returns
    the ids whose fetch failed, which are not asked for again."""
    failed: set[str] = set()
    for url, body in doc.linked.items():
        if not isinstance(url, str) or "partners.v1" not in url:
            continue
        if body is None:
            failed.update(_ids_in(url))
        for item in as_list(obj(body).get("elements")):
            pid, issuer = _partner(item, doc.provenance(url))
            if issuer is not None:
                partners.setdefault(pid, issuer)
    return failed - set(partners)


def _ids_in(url: str) -> list[str]:
    match = re.search(r"[?&]ids=([^&]*)", url)
    return match.group(1).split(",") if match else []


def _partner(item: Any, prov: Provenance) -> tuple[str, Issuer | None]:
    """(partner id, issuer) from a partners.v1 record; the issuer is None without a name."""
    record = obj(item)
    raw_id = record.get("id")
    pid = str(raw_id).strip() if isinstance(raw_id, (str, int)) and str(raw_id).strip() else ""
    name = name_text(record.get("name"))
    if not name:
        return pid, None
    home = http_url(record.get("homeLink")) or http_url(obj(record.get("links")).get("website"))
    short = record.get("shortName")
    if pid:
        uri: str | None = f"{API}partners.v1/{quote(pid, safe='')}"
    elif isinstance(short, str) and _SLUG.match(short.strip()):
        uri = f"https://www.coursera.org/partners/{short.strip()}"
    else:
        uri = home
    issuer = Issuer(
        id=issuer_id(ctid=None, uri=uri, name=name),
        name=name,
        url=home,
        description=clean_text(record.get("description")),
        provenance=prov,
    )
    return pid, issuer


def course_credential(
    course: dict[str, Any], partners: dict[str, Issuer], prov: Provenance
) -> tuple[Credential | None, list[str]]:
    """A course and the partner ids it names that are not known yet."""
    name = name_text(course.get("name"))
    url = _course_url(course)
    if not name or url is None:
        return None, []
    partner_ids = [
        str(p).strip()
        for p in as_list(course.get("partnerIds"))
        if isinstance(p, (str, int)) and str(p).strip()
    ]
    issuer = next((partners[p] for p in partner_ids if p in partners), None)
    hours = workload_hours(course.get("workload"))
    duration = published_duration(course.get("workload"), hours, hours)
    credential = Credential(
        id=credential_id(ctid=None, uri=url),
        name=name,
        type=CredentialType.COURSE,
        description=clean_text(course.get("description")),
        url=url if url.startswith(COURSE_PAGE) else None,
        issuer=issuer,
        language=language(course.get("primaryLanguages") or course.get("language")),
        duration_hours=hours,
        duration=duration,
        keywords=keyword_list(
            [
                v.replace("-", " ")
                for d in as_list(course.get("domainTypes"))
                for v in (obj(d).get("domainId"), obj(d).get("subdomainId"))
                if isinstance(v, str)
            ],
            course.get("categories"),
        ),
        provenance=prov,
    )
    return credential, [] if issuer is not None else partner_ids


def _course_url(course: dict[str, Any]) -> str | None:
    slug = course.get("slug")
    if isinstance(slug, str) and _SLUG.match(slug.strip()):
        return COURSE_PAGE + slug.strip()
    cid = course.get("id")
    if isinstance(cid, str) and _SLUG.match(cid.strip()):
        return f"{API}courses.v1/{cid.strip()}"
    return None


def workload_hours(text: Any) -> float | None:
    """Total hours from a workload text. A weekly rate ("4-8 hours/week") gives a total only
    with a number of weeks ("6 weeks, 4-8 hours/week" -> 48); alone it says nothing about the
    total and gives None."""
    if not isinstance(text, str):
        return None
    rate = _RATE.search(text)
    if rate is None:
        return hours_from_text(text)
    weeks = _WEEKS.search(text)
    if weeks is None or "week" not in rate.group(0).lower():
        return None
    per_week = hours_from_text(text[: rate.start()])
    return per_week * int(weeks.group(2) or weeks.group(1)) if per_week else None


def _next_page(result: ParseResult, collected: Collector, doc: Document, value: Any) -> None:
    if value is None or value == "":
        return
    text = str(value).strip()
    if not text.isdigit():
        collected.warn(f"paging.next {text[:50]!r} is not an offset; no next page")
        return
    parts = urlsplit(doc.url)
    query = [p for p in parts.query.split("&") if p]
    starts = [i for i, p in enumerate(query) if p.startswith("start=")]
    if starts and query[starts[0]] == f"start={text}":
        collected.warn(f"paging.next {text} is this page's start; not followed")
        return
    # Replace start where it stands so that the other parameters keep their order and bytes.
    query = [p for i, p in enumerate(query) if i not in starts[1:]]
    if starts:
        query[starts[0]] = f"start={text}"
    else:
        query.append(f"start={text}")
    result.next_pages.append(urlunsplit(parts._replace(query="&".join(query))))
