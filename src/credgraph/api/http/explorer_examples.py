"""The named example operations the explorer opens with, one tab each, and the ids they use.

The ids come from the store the explorer serves (the most transparent credentials, the
occupation most of them prepare for...), so every example answers something on any graph;
on an empty graph, and where API keys are required (the page itself needs none, so it must
show nothing read from the graph), they are placeholders that answer null or nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from credgraph.model import CredentialType
from credgraph.model.views import CredentialView
from credgraph.store.ports import GraphReader
from credgraph.store.query import CredentialSort, SortField

COMPARE = """\
# Two credentials side by side: every compared field (null where one does not say),
# shared and unique skills, and how much their skills overlap (Jaccard).
query CompareTwoCredentials($ids: [ID!]!) {
  compareCredentials(ids: $ids) {
    credentials { id name issuer { name } transparency { score missing } }
    sharedSkills { name framework }
    uniqueSkills { credential { name } skills { name } }
    similarity { a b jaccard }
    rows { label values }
    unknownIds
  }
}
"""

FOR_OCCUPATION = """\
# Credentials that prepare for an occupation (id, URI or O*NET-SOC code), the ones that
# disclose the most first. `transparency.missing` names what each leaves out.
query CredentialsForOccupation($occupation: ID!) {
  credentials(
    filter: {occupations: [$occupation]}
    sort: {field: TRANSPARENCY, direction: DESC}
    first: 10
  ) {
    totalCount
    edges {
      node {
        id name type
        issuer { name }
        cost { amount currency }
        durationHours
        transparency { score missing }
      }
    }
  }
}
"""

BADGE_ASSESSES = """\
# What a badge actually assesses: each skill, whether it is taught or assessed, how it was
# matched to a framework (method, confidence) and the framework node it links to.
query WhatABadgeAssesses($id: ID!) {
  credential(id: $id) {
    name type
    issuer { name }
    assessment
    criteria
    skillLinks {
      relation method confidence
      skill { name framework code uri sameAs { name framework uri } }
    }
    provenance { url source fetchedAt licence }
  }
}
"""

SKILL_GAP = """\
# What an occupation requires against what someone holds, and the fewest credentials
# that teach the rest.
query SkillGapForOccupation($occupation: ID!, $have: [ID!]) {
  skillGap(occupation: $occupation, have: $have) {
    occupation { name code }
    requiredSkills { name }
    coveredSkills { name }
    missingSkills { name }
    recommendations { id name issuer { name } cost { amount currency } }
    uncoverableSkills { name }
  }
}
"""

SEARCH = """\
# Full-text search over credentials, issuers, skills and occupations, best first.
query Search($text: String!) {
  search(text: $text, first: 10) {
    kind id name score
    node {
      ... on Credential { type issuer { name } transparency { score } }
      ... on Skill { framework uri }
      ... on Occupation { code framework }
      ... on Issuer { country }
    }
  }
}
"""

MATCH_JOB = """\
# The hiring side: the credentials that prepare for a job ad. The skills and occupations read
# from its text, then credentials ranked by how much of those skills each covers (`why` says
# how). `id:` takes a stored posting (`jobPostings`), `url:` a posting page.
query MatchAJob($text: String!) {
  matchJob(text: $text, first: 5) {
    skills { name }
    occupations { name code }
    unmatched
    credentials { credential { name issuer { name } } coverage why }
  }
}
"""


_OCCUPATION = "15-2051.00"  # O*NET-SOC Data Scientists
_JOB_AD = "Data analyst: SQL, Python and Tableau every day. O*NET-SOC 15-2051.00"
_SEARCH_TEXT = "data"


@dataclass(frozen=True, slots=True)
class ExampleIds:
    """What the examples ask about."""

    compared: tuple[str, str] = ("CREDENTIAL-ID-1", "CREDENTIAL-ID-2")
    badge: str = "CREDENTIAL-ID"
    occupation: str = _OCCUPATION
    search_text: str = _SEARCH_TEXT


async def pick_example_ids(store: GraphReader, sample: int = 50) -> ExampleIds:
    """Ids from the most transparent credentials of `store` (placeholders when it has none)."""
    page = await store.list_credentials(
        None, CredentialSort(SortField.TRANSPARENCY, descending=True), first=sample
    )
    views = [v for v in page.items if v.skills] or list(page.items)
    if not views:
        return ExampleIds()
    first = views[0]
    badges = [v for v in views if v.credential.type is CredentialType.BADGE]
    codes = Counter(o.occupation.code or o.occupation.id for v in views for o in v.occupations)
    words = [w for link in first.skills for w in link.skill.name.split() if len(w) > 2]
    return ExampleIds(
        compared=(first.id, _most_alike(first, views[1:]).id if len(views) > 1 else first.id),
        badge=(badges or views)[0].id,
        occupation=codes.most_common(1)[0][0] if codes else _OCCUPATION,
        search_text=words[0] if words else _SEARCH_TEXT,
    )


def _most_alike(view: CredentialView, others: Sequence[CredentialView]) -> CredentialView:
    """The credential sharing most skills with `view` (the first of `others` on a tie)."""
    mine = {link.skill.id for link in view.skills}
    return max(others, key=lambda o: len(mine & {link.skill.id for link in o.skills}))


def example_tabs(ids: ExampleIds) -> list[dict[str, str]]:
    """GraphiQL's `defaultTabs`: one named operation per tab, with its variables."""
    examples = [
        (COMPARE, {"ids": list(ids.compared)}),
        (FOR_OCCUPATION, {"occupation": ids.occupation}),
        (BADGE_ASSESSES, {"id": ids.badge}),
        (SKILL_GAP, {"occupation": ids.occupation, "have": [ids.compared[0]]}),
        (SEARCH, {"text": ids.search_text}),
        (MATCH_JOB, {"text": _JOB_AD}),
    ]
    return [{"query": q, "variables": json.dumps(v, indent=2)} for q, v in examples]
