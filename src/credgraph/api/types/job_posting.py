"""JobPosting: what an employer asks for, as a job board published it.

Scalars are copied from the stored posting; the credentials it asks for load through the
request's loaders (one store call per tick for a whole page of postings).
"""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.loaders import load_present
from credgraph.api.types.credential import Credential
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.provenance import Provenance
from credgraph.api.types.salary import Salary
from credgraph.api.types.skill import Skill
from credgraph.store.jobs import PostingView


@strawberry.type(
    description=(
        "A job posting (schema.org JobPosting) from a crawled job board or employer site: "
        "the skills, occupations and credentials it asks for."
    )
)
class JobPosting:
    id: strawberry.ID = strawberry.field(
        description="Stable id: the posting's `@id` or URL, else its page URL + `#` + a slug."
    )
    title: str = strawberry.field(description="The job title (HTML removed).")
    url: str | None = strawberry.field(description="The posting's page.")
    description: str | None = strawberry.field(description="The posting's text (HTML removed).")
    date_posted: date | None = strawberry.field(description="When it was posted.")
    valid_through: datetime | None = strawberry.field(description="When it closes (UTC).")
    active: bool = strawberry.field(
        description="Open now: not past `validThrough` and still listed by its source."
    )
    stale: bool = strawberry.field(
        description="True when its source stopped listing it for several crawls in a row."
    )
    employment_types: list[str] = strawberry.field(
        description="FULL_TIME, PART_TIME, CONTRACTOR... as stated."
    )
    locations: list[str] = strawberry.field(description="Where the job is, as addresses.")
    employer: Issuer | None = strawberry.field(description="The hiring organisation.")
    occupations: list[Occupation] = strawberry.field(description="The occupations it is for.")
    skills: list[Skill] = strawberry.field(
        description="The skills it requires, linked to taxonomy nodes where the graph has one."
    )
    qualifications: str | None = strawberry.field(description="Qualifications, as written.")
    education_requirements: list[str] = strawberry.field(
        description="Education asked for, as written (or the credential category)."
    )
    experience_requirements: list[str] = strawberry.field(
        description="Experience asked for, as written."
    )
    salary: Salary | None = strawberry.field(description="Pay, when stated.")
    provenance: Provenance | None = strawberry.field(description="Where the posting was read from.")
    asked_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(
        description="Stored credentials it asks for: an EducationalOccupationalCredential "
        "given by URL or name, or a credential named in its qualifications."
    )
    async def asked_credentials(self, info: ApiInfo) -> list[Credential]:
        views = await load_present(loaders_of(info).credentials, self.asked_ids)
        return [Credential.from_model(v) for v in views]

    @classmethod
    def from_model(cls, view: PostingView, at: datetime) -> JobPosting:
        p = view.posting
        return cls(
            id=strawberry.ID(p.id),
            title=p.title,
            url=p.url,
            description=p.description,
            date_posted=p.date_posted,
            valid_through=p.valid_through,
            active=view.active_at(at),
            stale=view.stale,
            employment_types=list(p.employment_types),
            locations=list(p.locations),
            employer=Issuer.from_model(p.employer) if p.employer else None,
            occupations=[Occupation.from_model(o.occupation) for o in p.occupations],
            skills=[Skill.from_model(s.skill) for s in p.skills],
            qualifications=p.qualifications,
            education_requirements=list(p.education_requirements),
            experience_requirements=list(p.experience_requirements),
            salary=Salary.from_model(p.salary) if p.salary else None,
            provenance=Provenance.from_model(p.provenance) if p.provenance else None,
            asked_ids=p.asked_ids,
        )
