"""schema.org values to credgraph values: identifiers, organisations, terms, occupations,
offers, credits and delivery modes. Every reader takes resolved JSON-LD and returns a typed
value or None; none of them raises on odd input except ValueError from id rules."""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from credgraph.formats.alternate_names import alternate_names
from credgraph.formats.normalise import clean_text, credits, money, text_value
from credgraph.formats.schemaorg.jsonld import Graph, is_absolute, types
from credgraph.model.ids import (
    credential_id,
    is_ctid,
    is_soc_code,
    issuer_id,
    normalise_label,
    normalise_uri,
    occupation_id,
    skill_id,
)
from credgraph.model.records import Issuer, Occupation, Provenance, Skill
from credgraph.model.validation import validate_issuer, validate_occupation, validate_skill
from credgraph.model.values import Credits, Money

ONET = "O*NET-SOC"
_SOC_IN_TEXT = re.compile(r"(?<![\d.-])(\d{2}-\d{4}(?:\.\d{2})?)(?![\d-])")
_PERIODIC = re.compile(
    r"\bper\b|\beach\b|/\s*(?:term|month|year|semester|quarter|credit|course|unit|week)\b"
    r"|\b(?:monthly|yearly|annual(?:ly)?|weekly)\b",
    re.IGNORECASE,
)
_CREDIT_WORDS = re.compile(r"credit|ects|ceu|cats?\b|pdu|semester hour|quarter hour", re.I)


def text(value: Any) -> str | None:
    """Display text on one line (names, levels, labels)."""
    found = clean_text(text_value(value) if isinstance(value, (dict, list)) else value)
    return " ".join(found.split()) if found else None


def absolute_url(value: Any, base: str) -> str | None:
    raw = text_value(value)
    if not raw or not raw.strip():
        return None
    try:
        url = urljoin(base, raw.strip())
    except ValueError:
        return None
    return url if is_absolute(url) and not url.startswith("urn:") else None


def ctid_of(graph: Graph, node: dict[str, Any]) -> str | None:
    """A CTID from `identifier`: a PropertyValue with propertyID "ctid", or a bare CTID."""
    for item in graph.items(node, "identifier"):
        if isinstance(item, dict):
            prop = text_value(item.get("propertyID")) or ""
            value = text_value(item.get("value"))
            if prop.strip().lower() == "ctid" and value and is_ctid(value):
                return value.strip().lower()
        elif isinstance(item, str) and is_ctid(item):
            return item.strip().lower()
    return None


def uri_id(uri: str) -> str:
    """A normalised URI that keeps its fragment: `page.html#course-a` and `page.html#course-b`
    name two different things on one page (normalise_uri alone would merge them)."""
    if uri.startswith("urn:"):
        return uri.strip()
    head, _, fragment = uri.strip().partition("#")
    base = credential_id(ctid=None, uri=head)
    return f"{base}#{fragment}" if fragment else base


def slug(name: str) -> str:
    """A stable fragment from a name: case-folded words joined by '-', at most 80 characters
    (longer names end with a hash of the whole name so they stay distinct)."""
    words = re.sub(r"[\W_]+", "-", normalise_label(name)).strip("-")
    digest = hashlib.sha1(name.encode("utf-8", "replace")).hexdigest()[:10]
    if not words:
        return digest
    return words if len(words) <= 80 else f"{words[:69].rstrip('-')}-{digest}"


def page_uri(url: str) -> str:
    parts = urlsplit(url)
    return normalise_uri(urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, "")))


def record_id(graph: Graph, node: dict[str, Any], page: str) -> tuple[str | None, str | None]:
    """(id, ctid) of a credential node: its CTID, else its absolute `@id` (relative ones are
    resolved against the page first, fragments kept), else page URL + "#" + slug of its name."""
    ctid = ctid_of(graph, node)
    if ctid:
        return ctid, ctid
    at = graph.node_id(node)
    if at and is_absolute(at):
        return uri_id(at), None
    name = text(node.get("name"))
    return (f"{page_uri(page)}#{slug(name)}", None) if name else (None, None)


def organisation(
    graph: Graph, value: Any, base: str, provenance: Provenance | None, warnings: list[str]
) -> Issuer | None:
    """An Issuer from an Organization/CollegeOrUniversity/Person node or a bare name.
    Its id: CTID, else its `url` (the homepage is the same on every page that names it),
    else its absolute `@id` (fragment dropped), else its name."""
    node = graph.deref(value, strings=True)
    if isinstance(node, str):
        if is_absolute(node):
            return None  # a bare link to an organisation says nothing we can name
        node = {"name": node}
    if not isinstance(node, dict):
        return None
    name = text(node.get("name")) or text(node.get("legalName"))
    if not name:
        warnings.append(
            f"organisation without a name ignored: {graph.node_id(node) or node!r:.120}"
        )
        return None
    url = absolute_url(node.get("url"), base)
    at = graph.node_id(node)
    page_of_at = at.split("#", 1)[0] if at and is_absolute(at) else None  # "https://x/#org"
    ctid = ctid_of(graph, node)
    issuer = Issuer(
        id=issuer_id(ctid=ctid, uri=url or page_of_at, name=name),
        name=name,
        url=url,
        ctid=ctid,
        description=clean_text(text_value(node.get("description"))),
        country=_country(graph, node),
        email=text(node.get("email")),
        alternate_names=alternate_names(_values(node.get("alternateName")), name),
        provenance=provenance,
    )
    problems = validate_issuer(issuer)
    if problems:
        warnings.append(f"organisation {name[:80]!r} ignored: {problems[0]}")
        return None
    return issuer


def _country(graph: Graph, node: dict[str, Any]) -> str | None:
    for address in graph.items(node, "address"):
        if isinstance(address, dict):
            country = graph.deref(address.get("addressCountry"))
            if isinstance(country, dict):
                return text(country.get("alternateName")) or text(country.get("name"))
            found = text(country)
            if found:
                return found
    return None


def term_skill(
    graph: Graph, value: Any, base: str, provenance: Provenance | None, warnings: list[str]
) -> Skill | None:
    """A Skill from text, a DefinedTerm (name, termCode, url, inDefinedTermSet) or an
    AlignmentObject (targetName, targetUrl, educationalFramework)."""
    node = graph.deref(value)
    if isinstance(node, str):
        label = text(node)
        if not label or is_absolute(label):
            if label:
                warnings.append(f"competency given only as a link ignored: {label[:120]}")
            return None
        node = {"name": label}
    if not isinstance(node, dict):
        return None
    name = text(node.get("name")) or text(node.get("targetName"))
    code = text(node.get("termCode")) or text(node.get("codeValue"))
    framework = _framework(graph, node.get("inDefinedTermSet") or node.get("inCodeSet"), base)
    framework = framework or text(node.get("educationalFramework"))
    at = graph.node_id(node)
    uri = at if at and is_absolute(at) and not at.startswith("urn:") else None
    uri = uri or absolute_url(node.get("url") or node.get("targetUrl"), base)
    if not name:
        if code:
            name = code
        else:
            return None
    skill = Skill(
        id=skill_id(uri=uri, framework=framework, code=code, label=name),
        name=name,
        framework=framework,
        uri=uri,
        code=code,
        description=clean_text(
            text_value(node.get("description") or node.get("targetDescription"))
        ),
        provenance=provenance,
    )
    problems = validate_skill(skill)
    if problems:
        warnings.append(f"competency {name[:80]!r} ignored: {problems[0]}")
        return None
    return skill


def _framework(graph: Graph, value: Any, base: str) -> str | None:
    node = graph.deref(value, strings=True)
    if isinstance(node, dict):
        return (
            text(node.get("name")) or absolute_url(node.get("url"), base) or (graph.node_id(node))
        )
    return text(node)


def occupation(
    graph: Graph, value: Any, base: str, provenance: Provenance | None, warnings: list[str]
) -> Occupation | None:
    """An Occupation from a CategoryCode/DefinedTerm (a SOC-shaped codeValue is O*NET-SOC)
    or from text (a SOC code inside the text is taken as the code, the rest as the name)."""
    node = graph.deref(value)
    code = name = framework = uri = None
    if isinstance(node, dict):
        code = text(node.get("codeValue")) or text(node.get("termCode"))
        name = text(node.get("name"))
        framework = _framework(graph, node.get("inCodeSet") or node.get("inDefinedTermSet"), base)
        at = graph.node_id(node)
        uri = at if at and is_absolute(at) and not at.startswith("urn:") else None
        uri = uri or absolute_url(node.get("url"), base)
    elif isinstance(node, str):
        label = text(node)
        if not label:
            return None
        found = _SOC_IN_TEXT.search(label)
        if found:
            code = found.group(1)
            rest = (label[: found.start()] + " " + label[found.end() :]).strip(" -–:,;()|\t")
            name = " ".join(rest.split()) or None
        else:
            name = label
    if code and is_soc_code(code):
        code = code if "." in code else code + ".00"
        framework, uri = ONET, None
    name = name or code
    if not name:
        return None
    found_occupation = Occupation(
        id=occupation_id(uri=uri, framework=framework, code=code, label=name),
        name=name,
        code=code,
        framework=framework,
        uri=uri,
        provenance=provenance,
    )
    problems = validate_occupation(found_occupation)
    if problems:
        warnings.append(f"occupation {name[:80]!r} ignored: {problems[0]}")
        return None
    return found_occupation


def cost(graph: Graph, node: dict[str, Any], warnings: list[str]) -> Money | None:
    """The first total price in `offers` (Offer price/priceCurrency or its
    priceSpecification). Prices marked as per term/month/credit are not a total cost: if
    those are all there is, cost stays empty and a warning says so."""
    periodic: list[str] = []
    for offer in graph.items(node, "offers"):
        if not isinstance(offer, dict):
            continue
        offer_periodic = _is_periodic(offer)
        candidates = [(offer, offer_periodic)]
        for spec in graph.items(offer, "priceSpecification"):
            if isinstance(spec, dict):
                candidates.append((spec, offer_periodic or _is_periodic(spec)))
        for holder, is_periodic in candidates:
            amount = holder.get("price")
            currency = holder.get("priceCurrency") or offer.get("priceCurrency")
            found = money(
                text_value(amount) if isinstance(amount, dict) else amount, text_value(currency)
            )
            if found is None:
                continue
            if is_periodic:
                label = text(offer.get("category")) or text(holder.get("unitText")) or "period"
                periodic.append(f"{found.amount:g} {found.currency} ({label})")
                continue
            return found
    if periodic:
        warnings.append(f"only a periodic price given ({periodic[0]}); cost left empty")
    return None


def _is_periodic(node: dict[str, Any]) -> bool:
    if any(node.get(k) for k in ("billingDuration", "referenceQuantity", "billingIncrement")):
        return True
    words = " ".join(
        t for k in ("category", "name", "description", "unitText") if (t := text(node.get(k)))
    )
    return bool(_PERIODIC.search(words))


def credit_value(graph: Graph, value: Any) -> Credits | None:
    """numberOfCredits: a number, a QuantitativeValue, or text naming a credit unit.
    Text counting something else ("37 courses") is not credits."""
    node = graph.deref(value)
    if isinstance(node, dict):
        return credits(
            node.get("value"), text_value(node.get("unitText")) or text_value(node.get("unitCode"))
        )
    if isinstance(node, str):
        rest = re.sub(r"[\d.,\s]+", " ", node).strip()
        if rest and not _CREDIT_WORDS.search(rest):
            return None
    if isinstance(node, bool):
        return None
    return credits(node)


def delivery_mode(values: list[Any]) -> str | None:
    """online, in-person or blended from educationalProgramMode/courseMode (text or a
    schema.org/CTDL term); other values kept as lower-case text."""
    found: list[str] = []
    for value in values:
        label = text(value.get("name") if isinstance(value, dict) else value)
        if not label:
            continue
        key = label.lower().rsplit("/", 1)[-1].replace("_", " ")
        if re.search(r"blend|hybrid|mixed", key):
            mode = "blended"
        elif re.search(r"online|distance|virtual|remote|e-?learning", key):
            mode = "online"
        elif re.search(r"on-?site|in[- ]?person|campus|classroom|face|offline|inperson", key):
            mode = "in-person"
        else:
            mode = key
        if mode not in found:
            found.append(mode)
    if {"online", "in-person"} <= set(found):
        return "blended"
    return found[0] if found else None


def is_record_type(node: dict[str, Any], names: tuple[str, ...]) -> bool:
    return any(t in names for t in types(node))


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]
