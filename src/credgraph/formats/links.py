"""One link per target: a credential links to each skill and each occupation at most once.

A document may point at the same skill twice: two alignments naming one competency, a CTDL
credential that `teaches` a competency and also `requires` it, a Credly skill tag repeated as an
alignment. Two links to one node would count the skill twice in comparisons and draw two
edges, so every parser passes its credentials through `one_link_per_target`:

* the strongest link is kept (highest confidence; on a tie the first published), with its
  relation and method;
* the skill (or occupation) record keeps what both sources said: fields the kept one lacks
  (uri, code, framework, description) come from the other, and the other's URI, when it
  differs, is added to `same_as` (skills) so neither source is lost.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TypeVar

from credgraph.model.records import Credential, Occupation, OccupationLink, Skill, SkillLink

_FILLED = ("uri", "code", "framework", "description")
Node = TypeVar("Node", Skill, Occupation)


def one_link_per_target(credential: Credential) -> Credential:
    """The credential with duplicate skill and occupation links merged (itself when none)."""
    skills = merge_skill_links(credential.skills)
    occupations = merge_occupation_links(credential.occupations)
    if skills == credential.skills and occupations == credential.occupations:
        return credential
    return dataclasses.replace(credential, skills=skills, occupations=occupations)


def _stronger(new: float | None, old: float | None) -> bool:
    return (new or 0.0) > (old or 0.0)


def merge_skill_links(links: Iterable[SkillLink]) -> tuple[SkillLink, ...]:
    kept: dict[str, SkillLink] = {}
    for link in links:
        old = kept.get(link.skill.id)
        if old is None:
            kept[link.skill.id] = link
            continue
        best, other = (link, old) if _stronger(link.confidence, old.confidence) else (old, link)
        kept[link.skill.id] = dataclasses.replace(
            best, skill=_merged_skill(best.skill, other.skill)
        )
    return tuple(kept.values())


def merge_occupation_links(links: Iterable[OccupationLink]) -> tuple[OccupationLink, ...]:
    kept: dict[str, OccupationLink] = {}
    for link in links:
        old = kept.get(link.occupation.id)
        if old is None:
            kept[link.occupation.id] = link
            continue
        best, other = (link, old) if _stronger(link.confidence, old.confidence) else (old, link)
        merged = _filled(best.occupation, other.occupation)
        kept[link.occupation.id] = dataclasses.replace(best, occupation=merged)
    return tuple(kept.values())


def _merged_skill(best: Skill, other: Skill) -> Skill:
    skill = _filled(best, other)
    if other.uri and other.uri != skill.uri and other.uri not in skill.same_as:
        skill = dataclasses.replace(skill, same_as=(*skill.same_as, other.uri))
    labels = [a for a in (other.name, *other.alt_labels) if a != skill.name]
    extra = tuple(a for a in labels if a not in skill.alt_labels)
    return dataclasses.replace(skill, alt_labels=(*skill.alt_labels, *extra)) if extra else skill


def _filled(best: Node, other: Node) -> Node:
    missing = {f: getattr(other, f) for f in _FILLED if getattr(best, f) is None}
    return dataclasses.replace(best, **{k: v for k, v in missing.items() if v is not None})
