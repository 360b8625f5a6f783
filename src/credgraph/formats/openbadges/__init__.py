"""Open Badges parser: credential definitions and issuers from OB 2.0, OB 3.0 and CLR 2.0.

A document may be one record or a listing of them:

* an OB 2.0 Issuer/Profile, a BadgeClass, or an Assertion (its badge is catalogued);
* an OB 3.0 Achievement, or an OpenBadgeCredential/AchievementCredential, whose
  `credentialSubject.achievement` is the definition we store (the award itself is not);
* a CLR 2.0 ClrCredential: every achievement in `credentialSubject.achievement[]` and in the
  embedded `verifiableCredential[]`, with `association[]` parent/child links as parts;
* a listing: a bare array, or an object holding the array under `result`, `data`, `badges`,
  `achievements`, `items` or `credentials`, with a next page in the body (`next`,
  `links.next`, `pagination.next`...). `Link: rel=next` headers are the crawl's business.

Issuers given only as URLs are listed in `needs`; once fetched they arrive in `doc.linked`.
A record that cannot be read is skipped with a warning naming the document and the record.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any

from credgraph.formats.base import Document, ParseError, ParseResult, json_parser, mend_surrogates
from credgraph.formats.openbadges.build import (
    Definition,
    credential_from_definition,
    issuer_from_profile,
)
from credgraph.formats.openbadges.common import (
    RECORD_ERRORS,
    Collector,
    add_next_page,
    as_list,
    body_next_page,
    host_of,
    http_url,
    obj,
    record_uri,
    unique,
    where,
)
from credgraph.model.ids import credential_id, is_did, issuer_id, normalise_uri
from credgraph.model.records import Issuer

LIST_KEYS = ("result", "data", "badges", "achievements", "items", "credentials", "credential")

_CREDENTIAL_TYPES = {"openbadgecredential", "achievementcredential", "verifiablecredential"}
_IGNORED_TYPES = {"endorsementcredential", "revocationlist", "cryptographickey"}
_PARENT = {"isparentof": False, "ischildof": True, "ispartof": True, "haspart": False}


@json_parser
def parse(doc: Document, data: Any) -> ParseResult:
    return _Parser(doc).run(data)


def record_kind(record: dict[str, Any]) -> str | None:
    """What an Open Badges object is: issuer, badgeclass, achievement, credential, clr,
    assertion or ignored; None when it does not look like Open Badges at all."""
    types = {
        re.split(r"[:/#]", t.strip())[-1].lower()
        for t in as_list(record.get("type")) + as_list(record.get("@type"))
        if isinstance(t, str) and t.strip()
    }
    if "clrcredential" in types:
        return "clr"
    if types & _IGNORED_TYPES:
        return "ignored"
    if types & _CREDENTIAL_TYPES or "credentialSubject" in record:
        return "credential"
    for kind in ("achievement", "badgeclass", "assertion"):
        if kind in types:
            return kind
    if types & {"issuer", "profile"}:
        return "issuer"
    if "badge" in record and "recipient" in record:
        return "assertion"
    if any(
        k in record
        for k in (
            "criteria",
            "criteriaUrl",
            "criteriaNarrative",
            "alignment",
            "alignments",
            "issuer",
            "issuerOpenBadgeId",
            "openBadgeId",
        )
    ):
        return "badgeclass"
    return None


def listing_items(data: dict[str, Any]) -> list[Any] | None:
    """The records of a listing object, or None when the object is not a listing."""
    for key in LIST_KEYS:
        value = data.get(key)
        if isinstance(value, list):
            return value
        if isinstance(value, dict) and record_kind(value) is not None:
            return [value]
    return None


@dataclass
class _Parser:
    doc: Document
    collected: Collector = field(init=False)
    needs: list[str] = field(default_factory=list)
    resolved: dict[str, Issuer | None] = field(default_factory=dict)
    issuer_ids: dict[str, str] = field(default_factory=dict)  # issuer URL -> id
    associations: list[tuple[str, str]] = field(default_factory=list)  # (parent, child)

    def __post_init__(self) -> None:
        self.collected = Collector(self.doc)

    def run(self, data: Any) -> ParseResult:
        result = ParseResult()
        if isinstance(data, list):
            self.listing(data)
        elif isinstance(data, dict):
            items = listing_items(data)
            if items is not None:
                self.listing(items)
                add_next_page(result, self.doc, body_next_page(data, self.doc.url))
            else:
                kind = record_kind(data)
                if kind is None:
                    raise ParseError(
                        self.doc.url,
                        "not an Open Badges object or listing "
                        f"(keys: {', '.join(sorted(map(str, data))[:12])})",
                    )
                self.record(data, "document", kind, fallback_uri=self.doc.url)
        else:
            raise ParseError(
                self.doc.url, f"expected a JSON object or array, got {type(data).__name__}"
            )
        self.apply_associations()
        result.needs.extend(unique(self.needs))
        return self.collected.into(result)

    def listing(self, items: list[Any]) -> None:
        kinds = [record_kind(item) if isinstance(item, dict) else None for item in items]
        # Issuers first, so that badges naming them by URL find them in this document.
        for index, (item, kind) in enumerate(zip(items, kinds, strict=True)):
            if kind == "issuer":
                self.record(item, index, kind)
        for index, (item, kind) in enumerate(zip(items, kinds, strict=True)):
            if not isinstance(item, dict):
                self.collected.warn(f"record #{index} is not an object; skipped")
            elif kind is None:
                self.collected.warn(f"{where(index, item)} is not an Open Badges object; skipped")
            elif kind != "issuer":
                self.record(item, index, kind)

    def record(
        self, record: dict[str, Any], index: int | str, kind: str, fallback_uri: str | None = None
    ) -> None:
        label = where(index, record)
        try:
            self.dispatch(record, label, kind, fallback_uri)
        except RECORD_ERRORS as exc:
            self.collected.warn(f"{label}: unreadable ({type(exc).__name__}: {exc}); skipped")

    def dispatch(
        self, record: dict[str, Any], label: str, kind: str, fallback_uri: str | None
    ) -> None:
        if kind == "issuer":
            issuer = issuer_from_profile(record, self.doc.provenance(), self.doc.url)
            if issuer is None:
                self.collected.warn(f"{label}: issuer without a usable name; skipped")
            else:
                self.collected.issuer(issuer, label)
        elif kind in ("badgeclass", "achievement"):
            # Badgr's v2 API gives the issuer as an entityId and its URL as issuerOpenBadgeId.
            named = [record.get(k) for k in ("issuer", "issuerOpenBadgeId", "creator")]
            issuer = self.issuer(
                next((v for v in named if isinstance(v, dict) or http_url(v, self.doc.url)), None)
            )
            self.definition(record, label, issuer, fallback_uri)
        elif kind == "credential":
            self.credential(record, label, None)
        elif kind == "clr":
            self.clr(record, label)
        elif kind == "assertion":
            self.assertion(record, label)
        else:
            self.collected.warn(f"{label}: {kind} object holds no credential definition")

    # -- definitions --------------------------------------------------------------------
    def definition(
        self,
        record: dict[str, Any],
        label: str,
        issuer: Issuer | None,
        fallback_uri: str | None = None,
        micro: bool = False,
        url: str | None = None,
    ) -> None:
        ctx = Definition(issuer, self.doc.provenance(url), self.doc.url, fallback_uri, micro)
        credential, problems = credential_from_definition(record, ctx)
        for problem in problems:
            self.collected.warn(f"{label}: {problem}")
        if credential is not None:
            self.collected.credential(credential, label)

    def credential(self, vc: dict[str, Any], label: str, outer: Issuer | None) -> None:
        """An OpenBadgeCredential/AchievementCredential: catalogue its achievement."""
        vc_issuer = self.issuer(vc.get("issuer")) or outer
        micro = any(
            "microcredential" in str(obj(s).get("id", "")).lower()
            for s in as_list(vc.get("credentialSchema"))
        )
        achievements = [
            a
            for s in as_list(vc.get("credentialSubject"))
            for a in as_list(obj(s).get("achievement"))
        ]
        if not achievements:
            self.collected.warn(f"{label}: credential without credentialSubject.achievement")
        for index, achievement in enumerate(achievements):
            sub = f"{label} achievement #{index}"
            if not isinstance(achievement, dict):
                self.collected.warn(f"{sub}: not an object; skipped")
                continue
            issuer = self.issuer(achievement.get("creator"), fallback=vc_issuer)
            self.definition(achievement, sub, issuer, micro=micro)

    def clr(self, clr: dict[str, Any], label: str) -> None:
        clr_issuer = self.issuer(clr.get("issuer"))
        for subject in as_list(clr.get("credentialSubject")):
            subject = obj(subject)
            for index, vc in enumerate(as_list(subject.get("verifiableCredential"))):
                if isinstance(vc, dict):
                    self.credential(vc, f"{label} verifiableCredential #{index}", clr_issuer)
            for index, achievement in enumerate(as_list(subject.get("achievement"))):
                sub = f"{label} achievement #{index}"
                if not isinstance(achievement, dict):
                    self.collected.warn(f"{sub}: not an object; skipped")
                    continue
                issuer = self.issuer(achievement.get("creator"), fallback=clr_issuer)
                self.definition(achievement, sub, issuer)
            for association in as_list(subject.get("association")):
                self.association(obj(association))

    def association(self, association: dict[str, Any]) -> None:
        kind = str(association.get("associationType", "")).lower()
        source = record_uri(association.get("sourceId"), self.doc.url)
        target = record_uri(association.get("targetId"), self.doc.url)
        if kind in _PARENT and source and target:
            parent, child = (target, source) if _PARENT[kind] else (source, target)
            self.associations.append(
                (credential_id(ctid=None, uri=parent), credential_id(ctid=None, uri=child))
            )

    def apply_associations(self) -> None:
        found = self.collected.credentials
        for parent, child in self.associations:
            if parent in found and child in found:
                found[parent] = dataclasses.replace(
                    found[parent], has_part=unique((*found[parent].has_part, child))
                )
                found[child] = dataclasses.replace(
                    found[child], part_of=unique((*found[child].part_of, parent))
                )

    def assertion(self, assertion: dict[str, Any], label: str) -> None:
        """An award: catalogue its BadgeClass, embedded or fetched by URL."""
        badge = assertion.get("badge")
        if isinstance(badge, dict):
            self.record(badge, f"{label} badge", "badgeclass")
            return
        url = http_url(badge, self.doc.url)
        if url is None:
            self.collected.warn(f"{label}: assertion without a usable badge; skipped")
            return
        found, linked = self.linked(url)
        if not found:
            self.needs.append(url)
        elif isinstance(linked, dict):
            issuer = self.issuer(linked.get("issuer"))
            self.definition(linked, f"{label} badge {url}", issuer, fallback_uri=url, url=url)
        else:
            self.collected.warn(f"{label}: badge {url} could not be fetched; skipped")

    # -- issuers ------------------------------------------------------------------------
    def issuer(self, value: Any, fallback: Issuer | None = None) -> Issuer | None:
        """The issuer a record names: an embedded profile, a DID, or a URL resolved from
        `doc.linked` (listed in `needs` until fetched)."""
        if isinstance(value, dict):
            embedded = issuer_from_profile(value, self.doc.provenance(), self.doc.url)
            if embedded is not None:
                return embedded
            value = value.get("id")
        if isinstance(value, str) and is_did(value):
            return self.did_issuer(value.strip(), fallback)
        url = http_url(value, self.doc.url)
        if url is None:
            return fallback
        key = self.issuer_ids.get(url)
        if key is None:  # every badge of a listing names its issuer: its id is worked out once
            key = self.issuer_ids[url] = issuer_id(ctid=None, uri=url, name=None)
        if fallback is not None and fallback.id == key:
            return fallback
        if key in self.collected.issuers:
            return self.collected.issuers[key]
        if url not in self.resolved:
            self.resolved[url] = self.fetched_issuer(url)
        return self.resolved[url]

    def did_issuer(self, did: str, fallback: Issuer | None) -> Issuer:
        """An issuer known only by its DID. A DID document names keys, not the issuer, so
        there is nothing to fetch: a profile with that id in this document gives the name,
        else the DID stands as its own name (never a name-keyed `issuer:` id, which would
        merge different issuers that share a name)."""
        if fallback is not None and fallback.id == did:
            return fallback
        known = self.collected.issuers.get(did)
        if known is not None:
            return known
        return Issuer(id=did, name=did, provenance=self.doc.provenance())

    def fetched_issuer(self, url: str) -> Issuer | None:
        found, linked = self.linked(url)
        if not found:
            self.needs.append(url)
            return None
        profile = obj(linked)
        issuer = issuer_from_profile(profile, self.doc.provenance(url), url) if profile else None
        if issuer is not None:
            self.collected.issuer(issuer, f"issuer {url}")
            return issuer
        reason = "could not be fetched" if linked is None else "has no usable name"
        self.collected.warn(f"issuer {url} {reason}; named after its host")
        return Issuer(id=normalise_uri(url), name=host_of(url), provenance=self.doc.provenance())

    def linked(self, url: str) -> tuple[bool, Any]:
        """(whether the crawl fetched `url`, its JSON or None)."""
        value: Any
        if url in self.doc.linked:
            value = self.doc.linked[url]
        else:
            key = normalise_uri(url)
            matches = [k for k in self.doc.linked if _same_uri(k, key)]
            if not matches:
                return False, None
            value = self.doc.linked[matches[0]]
        if isinstance(value, (str, bytes)):
            try:
                value = mend_surrogates(json.loads(value))
            except (ValueError, RecursionError):
                value = None
        return True, value


def _same_uri(candidate: Any, key: str) -> bool:
    try:
        return isinstance(candidate, str) and normalise_uri(candidate) == key
    except ValueError:
        return False
