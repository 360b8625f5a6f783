"""JobMatch: what a job asks for, in the graph's terms, and the credentials that prepare for it."""

from __future__ import annotations

import strawberry

from credgraph.api.types.credential_match import CredentialMatch
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.skill import Skill


@strawberry.type(
    description="A job read against the graph: its skills and occupations, what did not "
    "match, and the credentials that prepare for it, best first."
)
class JobMatch:
    skills: list[Skill] = strawberry.field(
        description="The graph's skills the job asks for, in the order first named."
    )
    occupations: list[Occupation] = strawberry.field(
        description="The graph's occupations the job names (by title or code)."
    )
    unmatched: list[str] = strawberry.field(
        description="What the job states that the graph does not hold: skill names, "
        "occupation codes, as written."
    )
    warnings: list[str] = strawberry.field(
        description="What was read or weighed only in part, as sentences: the posting's "
        "fields the reader ignored, the postings a page held beside the one matched, skills "
        "and occupations past the limits, candidates past the ranking's cap. Empty when the "
        "whole input was used."
    )
    credentials: list[CredentialMatch] = strawberry.field(
        description="The credentials that prepare for the job, ranked by coverage of its "
        "skills, then occupation alignment, transparency, hours (fewer first) and cost."
    )
