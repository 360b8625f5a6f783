"""One schema.org JobPosting node to a `JobPosting` record, with warnings naming each field
that could not be read.

The id: the node's absolute `@id`, else its absolute `url`, else the page URL + "#" + a slug
of its `identifier` value, else of its title. Text fields are stripped of HTML. A posting
without a title is not a record (a warning says so); everything else is optional.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from credgraph.formats.jobposting import values as jv
from credgraph.formats.normalise import clean_text, text_value
from credgraph.formats.schemaorg import values as v
from credgraph.formats.schemaorg.jsonld import Graph, is_absolute, types
from credgraph.model.jobs import (
    MAX_POSTING_SKILLS,
    AskedCredential,
    JobPosting,
    validate_posting,
)
from credgraph.model.records import Occupation, OccupationLink, Provenance, SkillLink
from credgraph.model.values import SkillRelation

JOB_POSTING = "JobPosting"
_CREDENTIAL = "EducationalOccupationalCredential"
_ISCO = "ISCO-08"


@dataclass(slots=True)
class PostingRead:
    """What reading one JobPosting gave: the record (None when it could not be one) and
    warnings, each naming the posting and the field."""

    posting: JobPosting | None
    warnings: list[str] = field(default_factory=list)


def read_posting(
    data: Mapping[str, Any],
    base_url: str,
    provenance: Provenance | None = None,
    *,
    graph: Graph | None = None,
) -> PostingRead:
    """A JobPosting JSON(-LD) object to a record. `base_url` resolves relative links and
    names the posting when it has neither `@id` nor `url`; `graph` resolves `@id`
    references when the object came from a larger document.

    >>> read_posting({"@type": "JobPosting", "title": "Nurse"}, "https://x.example/j/1").posting.title
    'Nurse'
    """
    if graph is None:
        graph = Graph(base_url)
        graph.add(dict(data), "posting")
        node = graph.nodes[0] if graph.nodes else dict(data)
    else:
        node = dict(data)
    label = f"JobPosting {graph.node_id(node) or v.text(node.get('url')) or ''}".rstrip()
    warnings: list[str] = []
    try:
        posting = _posting(graph, node, base_url, provenance, warnings)
    except (ValueError, TypeError, AttributeError, KeyError, RecursionError) as exc:
        return PostingRead(None, [f"{label} skipped: {type(exc).__name__}: {exc}"[:300]])
    out = [f"{label}: {w}" for w in warnings]
    if posting is None:
        return PostingRead(None, [*out, f"{label} skipped: no title"])
    problems = validate_posting(posting)
    if problems:
        return PostingRead(None, [*out, f"{label} skipped: {problems[0]}"])
    return PostingRead(posting, out)


def is_posting(node: dict[str, Any]) -> bool:
    return JOB_POSTING in types(node)


def _posting(
    graph: Graph,
    node: dict[str, Any],
    base: str,
    provenance: Provenance | None,
    warnings: list[str],
) -> JobPosting | None:
    title = v.text(node.get("title")) or v.text(node.get("name"))
    if not title:
        return None
    url = v.absolute_url(node.get("url"), base)
    posted_raw, through_raw = node.get("datePosted"), node.get("validThrough")
    date_posted = jv.day(posted_raw)
    if posted_raw is not None and date_posted is None:
        warnings.append(f"datePosted {v.text(posted_raw)!r:.60} is not a date; ignored")
    valid_through = jv.when(through_raw)
    if through_raw is not None and valid_through is None:
        warnings.append(f"validThrough {v.text(through_raw)!r:.60} is not a date; ignored")
    employer = None
    for item in graph.items(node, "hiringOrganization", strings=True):
        employer = _employer(graph, item, base, provenance, warnings)
        if employer is not None:
            break
    qualified, asked_qual = _requirements(graph, node, "qualifications", base)
    education, asked_edu = _requirements(graph, node, "educationRequirements", base)
    experience, asked_exp = _requirements(graph, node, "experienceRequirements", base)
    sentences: list[str] = []
    salary_raw = node.get("baseSalary") or node.get("estimatedSalary")
    salary = jv.salary(graph, salary_raw) if salary_raw is not None else None
    if salary_raw is not None and salary is None:
        warnings.append(f"baseSalary {v.text(salary_raw)!r:.60} has no amount; ignored")
    currency = v.text(node.get("salaryCurrency"))
    if salary is not None and salary.currency is None and currency:
        salary = dataclasses.replace(salary, currency=currency.upper()[:3])
    return JobPosting(
        id=_posting_id(graph, node, base, url, title),
        title=title,
        url=url,
        description=clean_text(text_value(node.get("description"))),
        date_posted=date_posted,
        valid_through=valid_through,
        employment_types=tuple(_words(graph.items(node, "employmentType"))),
        employer=employer,
        locations=tuple(_locations(graph, node)),
        salary=salary,
        skills=_skills(graph, node, base, provenance, warnings, sentences),
        skills_text="\n".join(sentences) or None,
        occupations=_occupations(graph, node, base, provenance, warnings),
        qualifications="\n".join(qualified) or None,
        education_requirements=tuple(education),
        experience_requirements=tuple(experience),
        asked=tuple(dict.fromkeys([*asked_qual, *asked_edu, *asked_exp])),
        provenance=provenance,
    )


def _posting_id(graph: Graph, node: dict[str, Any], base: str, url: str | None, title: str) -> str:
    at = graph.node_id(node)
    if at and is_absolute(at):
        return v.uri_id(at)
    if url:
        return v.uri_id(url)
    ident = graph.first(node, "identifier")
    value = v.text(ident.get("value") if isinstance(ident, dict) else ident)
    return f"{v.page_uri(base)}#{v.slug(value or title)}"


def _employer(
    graph: Graph, item: Any, base: str, provenance: Provenance | None, warnings: list[str]
) -> Any:
    if isinstance(item, dict):
        url = v.text(item.get("url"))
        if not url:
            same = graph.first(item, "sameAs")
            if isinstance(same, str) and is_absolute(same):
                item = {**item, "url": same}
        elif url.lower().startswith("www."):  # a bare host name, not a path on this page
            item = {**item, "url": "https://" + url}
    return v.organisation(graph, item, base, provenance, warnings)


def _words(values: list[Any]) -> list[str]:
    """employmentType values: "FULL_TIME", "Full-time, Contract", or a JSON array written as
    text ('["FULL_TIME"]', as some boards publish it)."""
    found: list[str] = []
    for value in values:
        for word in re.split(r"[,\[\]\"]", v.text(value) or ""):
            word = word.strip().upper().replace(" ", "_").replace("-", "_")
            if word and word not in found:
                found.append(word[:60])
    return found


def _locations(graph: Graph, node: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for place in graph.items(node, "jobLocation"):
        address = graph.deref(place.get("address")) if isinstance(place, dict) else place
        if isinstance(address, dict):
            parts = [
                v.text(
                    graph.deref(address.get(k)).get("name")
                    if isinstance(graph.deref(address.get(k)), dict)
                    else address.get(k)
                )
                for k in (
                    "streetAddress",
                    "addressLocality",
                    "addressRegion",
                    "postalCode",
                    "addressCountry",
                )
            ]
            text = ", ".join(p for p in parts if p)
        else:
            text = v.text(address) or ""
        if text and text not in found:
            found.append(text)
    if v.text(node.get("jobLocationType")) == "TELECOMMUTE" and "remote" not in found:
        found.append("remote")
    return found


def _skills(
    graph: Graph,
    node: dict[str, Any],
    base: str,
    provenance: Provenance | None,
    warnings: list[str],
    sentences: list[str],
) -> tuple[SkillLink, ...]:
    """Skill links, at most MAX_POSTING_SKILLS; text that gives no label (sentences) goes to
    `sentences`, as written."""
    links: dict[str, SkillLink] = {}
    total = 0
    for item in graph.items(node, "skills"):
        labels = jv.skill_labels(item) if isinstance(item, str) else []
        said = v.text(item) if isinstance(item, str) else None
        if said and not labels:
            sentences.append(said)
            warnings.append(f"skills {said!r:.60} is a sentence, not a list: kept as text")
        mentions = [{"name": label} for label in labels] if isinstance(item, str) else [item]
        for mention in mentions:
            total += 1
            if len(links) >= MAX_POSTING_SKILLS:
                continue
            skill = v.term_skill(graph, mention, base, provenance, warnings)
            if skill is not None:
                links.setdefault(
                    skill.id, SkillLink(skill, SkillRelation.ASSESSES, method="schemaorg:skills")
                )
    if total > MAX_POSTING_SKILLS and len(links) >= MAX_POSTING_SKILLS:
        warnings.append(
            f"skills: {total} listed, the first {MAX_POSTING_SKILLS} distinct ones kept"
        )
    return tuple(links.values())


def _occupations(
    graph: Graph,
    node: dict[str, Any],
    base: str,
    provenance: Provenance | None,
    warnings: list[str],
) -> tuple[OccupationLink, ...]:
    found: dict[str, OccupationLink] = {}
    items = graph.items(node, "occupationalCategory")
    for relevant in graph.items(node, "relevantOccupation"):
        # an Occupation node: its own category code when it gives one, else its name
        if isinstance(relevant, dict):
            items += graph.items(relevant, "occupationalCategory") or [relevant.get("name")]
        else:
            items.append(relevant)
    for item in (i for i in items if i is not None):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            # 151212 could be SOC 15-1212 or a board's own number: said, not guessed
            warnings.append(f"occupationalCategory {item!r} is a number, not a code: ignored")
            continue
        occupation = _isco(graph, item, provenance) or v.occupation(
            graph, item, base, provenance, warnings
        )
        if occupation is not None:
            found.setdefault(
                occupation.id, OccupationLink(occupation, method="schemaorg:occupationalCategory")
            )
    return tuple(found.values())


def _isco(graph: Graph, item: Any, provenance: Provenance | None) -> Occupation | None:
    """An ISCO-08 CategoryCode keys as the crosswalks do (`isco:2512`), not by set name."""
    node = graph.deref(item)
    if not isinstance(node, dict):
        return None
    code_set = graph.deref(node.get("inCodeSet"))
    set_name = v.text(code_set.get("name") if isinstance(code_set, dict) else code_set) or ""
    code = v.text(node.get("codeValue")) or v.text(node.get("termCode"))
    if not code or "isco" not in set_name.lower() or not code.isdigit() or len(code) > 4:
        return None
    name = v.text(node.get("name")) or f"ISCO-08 group {code}"
    return Occupation(
        id=f"isco:{code}", name=name, code=code, framework=_ISCO, provenance=provenance
    )


def _requirements(
    graph: Graph, node: dict[str, Any], prop: str, base: str
) -> tuple[list[str], list[AskedCredential]]:
    """Texts of education/experience requirements, and the credentials named in them."""
    texts: list[str] = []
    asked: list[AskedCredential] = []
    for item in graph.items(node, prop, strings=True):
        if isinstance(item, dict):
            name = v.text(item.get("name"))
            category = graph.first(item, "credentialCategory")
            category_text = v.text(
                category.get("name") or category.get("termCode")
                if isinstance(category, dict)
                else category
            )
            months = v.text(item.get("monthsOfExperience"))
            said = name or category_text or (f"{months} months of experience" if months else None)
            description = clean_text(text_value(item.get("description")))
            said = said or description
            if _CREDENTIAL in types(item) or name or item.get("url"):
                url = v.absolute_url(item.get("url"), base)
                if name or url:
                    asked.append(AskedCredential(name, url, category_text, prop))
        else:
            said = clean_text(text_value(item))
        if said and said not in texts:
            texts.append(said)
    return texts, asked
