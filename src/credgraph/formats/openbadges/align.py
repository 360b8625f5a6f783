"""Alignment objects (Open Badges 2.0/3.0 `alignment[]`, Credly `alignments[]`) to skills,
occupations, quality assurance and level.

An alignment names something outside the badge: a competency in a framework, an occupation,
another credential, a quality-assurance decision or a qualifications-framework level. Each is
routed to the matching part of the graph:

* occupations: `targetType` ceterms:Occupation/Job, an O*NET-SOC, SOC or ISCO framework, a
  SOC-shaped code (`15-1252.00`), an O*NET OnLine occupation URL or an ESCO occupation URI;
* quality assurance (`ext:QualityAssurance`, Edubadges) -> an accrediting body;
* EQF levels (`ext:EQF`, or an "EQF level N" target) -> the credential's level;
* other credentials (`ceterms:Credential` and the CTDL credential classes) are not skills: the
  badge prepares for them (`prepares_for`, keyed by the CTID in targetCode or targetUrl, else
  the normalised targetUrl; one with neither is left out with a problem);
* everything else is a skill the credential teaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from credgraph.formats.base import AsGiven, as_given
from credgraph.formats.links import merge_occupation_links, merge_skill_links
from credgraph.formats.normalise import clean_text, credential_type
from credgraph.formats.openbadges.common import as_list, http_url, name_text
from credgraph.model.ids import (
    credential_id,
    is_ctid,
    issuer_id,
    occupation_id,
    onet_page_code,
    skill_id,
)
from credgraph.model.records import Issuer, Occupation, OccupationLink, Provenance, Skill, SkillLink
from credgraph.model.values import CredentialType, SkillRelation

METHOD = "issuer-alignment"
CONFIDENCE = 1.0  # the issuer itself states the alignment
REGISTRY = "https://credentialengineregistry.org/resources/"

_SOC_FULL = re.compile(r"^\d{2}-\d{4}(?:\.\d{2})?$")
_OCCUPATION_FRAMEWORK = re.compile(r"\bsoc\b|\bisco\b", re.IGNORECASE)
_ISCO = re.compile(r"\bisco\b", re.IGNORECASE)
_EQF_NAME = re.compile(r"^\s*eqf(?:\s*-?\s*level)?\s*([1-8])\s*$", re.IGNORECASE)
_ONET = re.compile(r"o\*?net", re.IGNORECASE)
_ONET_ELEMENT = re.compile(r"^\d(?:\.[A-Za-z0-9]+)+$")
_CTID_IN = re.compile(r"ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_OCCUPATION_TYPES = frozenset({"occupation", "job", "workrole"})


@dataclass(slots=True)
class Alignments:
    skills: list[SkillLink] = field(default_factory=list)
    occupations: list[OccupationLink] = field(default_factory=list)
    accreditors: list[Issuer] = field(default_factory=list)
    level: str | None = None
    prepares_for: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Target:
    name: str | None
    url: str | None
    code: str | None
    framework: str | None
    description: str | None
    kind: str  # local name of targetType, lower-cased ("" when absent)
    raw_kind: str


def read_alignments(items: Any, provenance: Provenance | None) -> Alignments:
    """Every alignment of a record, routed to skills, occupations, accreditors and level."""
    out = Alignments()
    for index, item in enumerate(as_list(items)):
        target = _target(item)
        if target is None:
            out.problems.append(f"alignment #{index} is not an object; ignored")
            continue
        if not (target.name or target.code):
            out.problems.append(f"alignment #{index} has neither targetName nor targetCode")
            continue
        _route(target, provenance, out)
    # two alignments naming one skill or occupation are one link (formats.links)
    out.skills = list(merge_skill_links(out.skills))
    out.occupations = list(merge_occupation_links(out.occupations))
    return out


_PLAIN_TYPES = frozenset({type(None), str, int})
_TARGET_FIELDS = (
    "targetName",
    "name",
    "targetUrl",
    "url",
    "targetCode",
    "targetFramework",
    "targetDescription",
    "description",
    "targetType",
)


def _target(item: Any) -> _Target | None:
    if not isinstance(item, dict):
        return None
    fields = tuple(map(item.get, _TARGET_FIELDS))
    # Records of a catalog align to the same targets: one given as plain strings (and integer
    # codes: never bool or float, which hash equal to other values) is read once. (Both
    # steps in C: three alignments per badge made them a tenth of a catalog page's parse.)
    if _PLAIN_TYPES.issuperset(map(type, fields)):
        return _plain_target(fields)
    return _read_target(item)


@lru_cache(maxsize=8192)
def _plain_target(fields: tuple[str | int | None, ...]) -> _Target:
    return _read_target(dict(zip(_TARGET_FIELDS, fields, strict=True)))


def _read_target(item: dict[str, Any]) -> _Target:
    code = item.get("targetCode")
    code_text = str(code).strip() if isinstance(code, (str, int)) and str(code).strip() else None
    target_type = item.get("targetType")
    raw_kind = target_type if isinstance(target_type, str) else ""
    kind = re.split(r"[:/#]", raw_kind.strip())[-1].lower() if raw_kind else ""
    return _Target(
        name=name_text(item.get("targetName") or item.get("name")),
        url=http_url(item.get("targetUrl") or item.get("url")),
        code=code_text,
        framework=name_text(item.get("targetFramework")),
        description=clean_text(item.get("targetDescription") or item.get("description")),
        kind=kind,
        raw_kind=raw_kind,
    )


def _route(t: _Target, prov: Provenance | None, out: Alignments) -> None:
    kind = _kind_of(t)
    if kind == "accreditor":
        out.accreditors.append(_accreditor(t, prov))
    elif kind == "level":
        out.level = out.level or _eqf_level(t)
    elif kind == "credential":
        target = _credential_target(t)
        if target is None:
            out.problems.append(f"alignment to credential {t.name!r} has no CTID or URL; ignored")
        elif target not in out.prepares_for:
            out.prepares_for.append(target)
    elif kind == "occupation":
        out.occupations.append(
            OccupationLink(_occupation(t, prov, _as_given(prov)), METHOD, CONFIDENCE)
        )
    else:
        skill = _skill(t, prov, _as_given(prov))
        out.skills.append(SkillLink(skill, SkillRelation.TEACHES, METHOD, CONFIDENCE))


# Targets recur across a catalog's records; what part of the graph one names is decided once.
@lru_cache(maxsize=8192)
def _kind_of(t: _Target) -> str:
    """accreditor, level, credential, occupation or skill: where an alignment goes."""
    if t.kind == "qualityassurance":
        return "accreditor"
    if _eqf_level(t) is not None:
        return "level"
    if _is_credential_target(t):
        return "credential"
    if _is_occupation(t):
        return "occupation"
    return "skill"


@lru_cache(maxsize=1024)
def _eqf_level(t: _Target) -> str | None:
    framework_is_eqf = t.kind == "eqf" or bool(
        t.framework and re.search(r"\beqf\b|european qualifications framework", t.framework, re.I)
    )
    if framework_is_eqf and t.code and t.code in "12345678" and len(t.code) == 1:
        return f"EQF level {t.code}"
    match = _EQF_NAME.match(t.name or "")
    if match:
        return f"EQF level {match.group(1)}"
    if framework_is_eqf:
        return t.name
    return None


def _is_credential_target(t: _Target) -> bool:
    if not t.raw_kind.lower().startswith("ceterms:") or t.kind in _OCCUPATION_TYPES:
        return False
    return "credential" in t.kind or credential_type(t.kind) is not CredentialType.OTHER


def _credential_target(t: _Target) -> str | None:
    ctid = t.code if t.code and is_ctid(t.code) else None
    if ctid is None and t.url:
        found = _CTID_IN.search(t.url)
        ctid = found.group(0) if found else None
    try:
        return credential_id(ctid=ctid, uri=t.url)
    except ValueError:
        return None


def _is_occupation(t: _Target) -> bool:
    if t.kind in _OCCUPATION_TYPES:
        return True
    if t.code and _SOC_FULL.match(t.code):
        return True
    if t.framework and _OCCUPATION_FRAMEWORK.search(t.framework):
        return True
    return _url_occupation(t.url) is not None


def _url_occupation(url: str | None) -> str | None:
    """'onet' or 'esco' when the URL is an O*NET OnLine occupation page or an ESCO occupation."""
    if not url:
        return None
    if onet_page_code(url) is not None:
        return "onet"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host == "data.europa.eu" and parts.path.startswith(("/esco/occupation/", "/esco/isco/")):
        return "esco"
    return None


# The shared objects' keys hold their provenance's time as given (`formats.base.as_given`).
_AsGiven = AsGiven | None


def _as_given(prov: Provenance | None) -> _AsGiven:
    return None if prov is None else as_given(prov.fetched_at)


@lru_cache(maxsize=8192)  # shared as `_skill`'s are
def _occupation(t: _Target, prov: Provenance | None, _when: _AsGiven) -> Occupation:
    kind = _url_occupation(t.url)
    code = t.code
    if code is None and kind == "onet":
        code = onet_page_code(t.url)
    framework = t.framework
    if code and _SOC_FULL.match(code):
        # O*NET-SOC codes key on the code so that every source meets the same node.
        code = code if "." in code else code + ".00"
        occ_id = occupation_id(uri=None, framework=None, code=code, label=t.name)
        framework = "O*NET-SOC"
    elif code and code.isdigit() and len(code) <= 4 and framework and _ISCO.search(framework):
        occ_id = occupation_id(uri=None, framework="isco", code=code, label=t.name)
    else:
        occ_id = occupation_id(uri=_key_url(t.url), framework=framework, code=code, label=t.name)
        if kind == "esco":
            framework = framework or "ESCO"
    return Occupation(
        id=occ_id,
        name=t.name or code or occ_id,
        code=code,
        framework=framework,
        uri=t.url,
        description=t.description,
        provenance=prov,
    )


# The records of a page align to the same few skills, with the page's one provenance
# (formats.base): one Skill object per target and page, shared by the records' links, rather
# than one per alignment (a page of 100 badges with 3 alignments: 10 skills, not 300).
@lru_cache(maxsize=8192)
def _skill(t: _Target, prov: Provenance | None, _when: _AsGiven) -> Skill:
    sid, framework, uri = _skill_key(t)
    return Skill(
        id=sid,
        name=t.name or t.code or sid,
        framework=framework,
        uri=uri,
        code=t.code,
        description=t.description,
        provenance=prov,
    )


# A catalog aligns its records to the same few framework skills: the id, framework and URI
# of a target are worked out once (targets are frozen values).
@lru_cache(maxsize=8192)
def _skill_key(t: _Target) -> tuple[str, str | None, str | None]:
    """(id, framework, uri) of the skill an alignment target names."""
    framework = t.framework
    uri = t.url
    key_uri = _key_url(uri)
    if t.code and is_ctid(t.code):
        # A Credential Engine competency: key on its registry resource, as CTDL-ASN does.
        uri = key_uri = REGISTRY + t.code.strip().lower()
    elif t.code and _ONET_ELEMENT.match(t.code) and _is_onet(t):
        # An O*NET content-model element (2.A.2.a): key on the code, as the O*NET taxonomy does.
        key_uri, framework = None, "O*NET"
    elif uri and urlsplit(uri).hostname == "data.europa.eu" and "/esco/" in uri:
        framework = framework or "ESCO"
    sid = skill_id(uri=key_uri, framework=framework, code=t.code, label=t.name or t.code)
    return sid, framework, uri


def _is_onet(t: _Target) -> bool:
    host = urlsplit(t.url).hostname or "" if t.url else ""
    return bool(t.framework and _ONET.search(t.framework)) or host.endswith(
        ("onetonline.org", "onetcenter.org")
    )


def _key_url(url: str | None) -> str | None:
    """A URL usable as an id. URLs whose fragment names the concept
    (`.../skills#problem-solving`) are not: normalising drops the fragment and every concept
    on the page would share one id, so those fall back to framework code or label."""
    if url and urlsplit(url).fragment:
        return None
    return url


def _accreditor(t: _Target, prov: Provenance | None) -> Issuer:
    lines = (t.description or "").split("\n")
    name = name_text(lines[0]) or t.name or t.code or "Quality assurance"
    described = " — ".join(x for x in (t.name, t.code) if x) or None
    return Issuer(
        id=issuer_id(ctid=None, uri=t.url, name=name if not t.code else f"{name} {t.code}"),
        name=name,
        url=t.url,
        description=described,
        provenance=prov,
    )
