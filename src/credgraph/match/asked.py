"""What a job asks for, in the graph's terms: skills and occupations, and what did not match.

    asked = asked_by_text(graph, "We need a Python developer (15-1252.00) who knows SQL")
    asked = asked_by_posting(graph, posting)   # a JobPosting record (formats.jobposting)

From free text: the phrases `skill_text.find_terms` finds (a phrase naming both a skill and an
occupation counts as both) and the occupation codes written in it. From a posting: its stated
skills and occupations (by id, code or label; a stated skill that is a sentence is read as
text), then its title, description, skills written as sentences (`skills_text`) and
qualifications read as free text. Anything stated that the graph does not hold is kept, as
written, in `unmatched`. At most `MAX_ASKED_SKILLS` skills (the first found) and
`MAX_ASKED_OCCUPATIONS` occupations are kept: the cost of a match grows with them; how many
were left out is said in `warnings()`, beside what reading the input left out. So is the count
of what the graph does not hold past the first `MAX_UNMATCHED`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credgraph.match.index import GraphVocabulary
from credgraph.match.skill_text import (
    OCCUPATION,
    SKILL,
    find_codes,
    find_terms,
)
from credgraph.model.jobs import MAX_POSTING_SKILLS, JobPosting

# A job asking for more skills than a posting may list is read up to this many (the first
# found): each skill is work for every candidate credential.
MAX_ASKED_SKILLS = MAX_POSTING_SKILLS
MAX_ASKED_OCCUPATIONS = 20
# What the graph does not hold, kept as written up to this many: a pasted text can hold
# thousands of codes, and the answer says how many more there were.
MAX_UNMATCHED = 100


@dataclass(slots=True)
class Asked:
    """Skills and occupations in the order first found, each once."""

    skill_ids: list[str] = field(default_factory=list)
    occupation_ids: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    found_by: dict[str, str] = field(default_factory=dict)  # id -> the words that named it
    read_warnings: list[str] = field(default_factory=list)  # what reading the input left out
    skills_left_out: set[str] = field(default_factory=set)
    occupations_left_out: set[str] = field(default_factory=set)
    unmatched_seen: set[str] = field(default_factory=set)  # kept or not, each counted once

    def skill(self, skill_id: str, written: str) -> None:
        if skill_id in self.found_by:
            return
        if len(self.skill_ids) < MAX_ASKED_SKILLS:
            self.skill_ids.append(skill_id)
            self.found_by[skill_id] = written
        else:
            self.skills_left_out.add(skill_id)

    def occupation(self, occupation_id: str, written: str) -> None:
        if occupation_id in self.found_by:
            return
        if len(self.occupation_ids) < MAX_ASKED_OCCUPATIONS:
            self.occupation_ids.append(occupation_id)
            self.found_by[occupation_id] = written
        else:
            self.occupations_left_out.add(occupation_id)

    def warnings(self) -> list[str]:
        """What was read only in part: the reader's warnings, then the skills and
        occupations past the caps."""
        found = list(self.read_warnings)
        for what, kept, left_out in (
            ("skills", len(self.skill_ids), len(self.skills_left_out)),
            ("occupations", len(self.occupation_ids), len(self.occupations_left_out)),
        ):
            if left_out:
                found.append(
                    f"the job names {kept + left_out} of the graph's {what}; the first "
                    f"{kept} found were matched, {left_out} left out"
                )
        more = len(self.unmatched_seen) - len(self.unmatched)
        if more:
            found.append(
                f"the job names {len(self.unmatched_seen)} things the graph does not hold; "
                f"the first {len(self.unmatched)} are listed as unmatched, {more} left out"
            )
        return found

    def missed(self, written: str) -> None:
        if written and written not in self.unmatched_seen:
            self.unmatched_seen.add(written)
            if len(self.unmatched) < MAX_UNMATCHED:
                self.unmatched.append(written)


def asked_by_text(
    graph: GraphVocabulary, text: str, deadline: float | None = None, into: Asked | None = None
) -> Asked:
    """The skills, occupations and occupation codes named in `text`."""
    asked = into if into is not None else Asked()
    for found in find_terms(graph.vocabulary, text, deadline):
        for term in found.terms:
            if term.kind == SKILL:
                asked.skill(term.id, found.text)
            elif term.kind == OCCUPATION:
                asked.occupation(term.id, found.text)
    for code in find_codes(text):
        ids = graph.occupations_for(code)
        if not ids:
            asked.missed(f"{code.scheme} {code.code}")
        for occupation_id in ids:
            asked.occupation(occupation_id, code.code)
    return asked


def asked_by_posting(
    graph: GraphVocabulary, posting: JobPosting, deadline: float | None = None
) -> Asked:
    """What `posting` states, then what its title, description and qualifications name."""
    asked = Asked()
    for link in posting.skills:
        skill = link.skill
        if skill.id in graph.skill_ids:
            asked.skill(skill.id, skill.name)
            continue
        terms = _whole_label(graph, skill.name, SKILL)
        if not terms:  # a sentence ("Web development using Java or Python"): read it as text
            terms = [
                t.id
                for f in find_terms(graph.vocabulary, skill.name, deadline)
                for t in f.terms
                if t.kind == SKILL
            ]
        if not terms:
            asked.missed(skill.name)
        for term_id in terms:
            asked.skill(term_id, skill.name)
    for occ in posting.occupations:
        o = occ.occupation
        ids = [o.id] if o.id in graph.occupation_ids else list(graph.by_code.get(o.code or "", ()))
        ids = ids or _whole_label(graph, o.name, OCCUPATION)
        if not ids:
            asked.missed(f"{o.code} {o.name}".strip() if o.code and o.code != o.name else o.name)
        for occupation_id in ids:
            asked.occupation(occupation_id, o.name)
    text = "\n".join(
        t
        for t in (
            posting.title,
            posting.description,
            posting.skills_text,
            posting.qualifications,
            *posting.experience_requirements,
        )
        if t
    )
    return asked_by_text(graph, text, deadline, asked)


def _whole_label(graph: GraphVocabulary, label: str, kind: str) -> list[str]:
    """The nodes of `kind` whose label (or alternative label) is `label`, as words."""
    return [t.id for t in graph.vocabulary.named_by(label, kind)]
