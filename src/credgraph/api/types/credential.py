"""Credential: a credential definition with its neighbours, disclosure and provenance.

Scalars, the issuer, skills, occupations and transparency are filled from the view when the
object is made: the executor completes such plain fields without a call per field
(`credgraph.api.execution`), and one resolver among a credential's selected fields sends the
whole object down graphql-core's slower path (a `transparency` resolver was a fifth of a
comparison's API CPU). The rest (links, accreditors, provenance, outcomes...) are built only
when a query selects them: few queries do, and building them for every credential of a page
cost more than resolving them when asked.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import strawberry

from credgraph.api.context import ApiInfo, loaders_of
from credgraph.api.loaders import load_present
from credgraph.api.types.advanced_standing import AdvancedStanding
from credgraph.api.types.credential_change import CredentialChange
from credgraph.api.types.credential_duration import Duration
from credgraph.api.types.credential_type import CredentialType
from credgraph.api.types.credits import Credits
from credgraph.api.types.demand import Demand
from credgraph.api.types.issuer import Issuer
from credgraph.api.types.money import Money
from credgraph.api.types.occupation import Occupation
from credgraph.api.types.outcome import Outcome
from credgraph.api.types.provenance import Provenance
from credgraph.api.types.published_pathway import PublishedPathway
from credgraph.api.types.quality import Quality
from credgraph.api.types.shared import SharedByRecord
from credgraph.api.types.skill import Skill
from credgraph.api.types.skill_link import SkillLink
from credgraph.api.types.transparency import Transparency
from credgraph.model.quality import quality_of
from credgraph.model.stacking import AdvancedStanding as AdvancedStandingModel
from credgraph.model.values import NodeKind
from credgraph.model.views import CredentialView

# One API object per record object, shared by requests (credgraph.api.types.shared).
shared_skill = SharedByRecord(Skill.from_model)
_occupation = SharedByRecord(Occupation.from_model)
_issuer = SharedByRecord(Issuer.from_model)


@strawberry.type(
    description=(
        "A credential definition (a badge class, a certificate, a degree...), not an award to "
        "a person, with what it teaches, whom it prepares for and what it discloses."
    )
)
class Credential:
    id: strawberry.ID = strawberry.field(
        description="Stable id: the CTID, else the credential's normalised document URI."
    )
    name: str = strawberry.field(description="The credential's title.")
    description: str | None = strawberry.field(description="What the issuer says it is.")
    type: CredentialType = strawberry.field(description="What kind of credential it is.")
    url: str | None = strawberry.field(description="The credential's public page.")
    ctid: str | None = strawberry.field(description="Credential Engine CTID, when registered.")
    language: str | None = strawberry.field(description="Language of delivery (BCP 47 tag).")
    issuer: Issuer | None = strawberry.field(description="The awarding body, when known.")
    duration_hours: float | None = strawberry.field(
        description="Notional workload in hours, when stated (the upper bound of `duration`)."
    )
    duration: Duration | None = strawberry.field(
        resolver=lambda root: (
            Duration.from_model(d) if (d := root.view.credential.duration) else None
        ),
        description="How long it takes, as published, with the study hours that stands for.",
    )
    credits: Credits | None = strawberry.field(description="Academic credit, when stated.")
    cost: Money | None = strawberry.field(description="What it costs, when stated.")
    level: str | None = strawberry.field(description="Level, such as EQF 5, as stated.")
    assessment: str | None = strawberry.field(description="How it is assessed, as stated.")
    delivery_mode: str | None = strawberry.field(
        description="Participation form: online, onsite, blended..."
    )
    validity: str | None = strawberry.field(description="How long it stays valid, as stated.")
    criteria: str | None = strawberry.field(
        description="How it is earned: a narrative or the URL of the criteria."
    )
    entry_requirements: str | None = strawberry.field(
        description="Prerequisites as the issuer words them (see `prerequisites` for links)."
    )
    keywords: list[str] = strawberry.field(description="Tags the issuer gave it.")
    # Skills and occupations are plain values, filled by `from_model` (shared API objects,
    # none when a projected read left them out): a resolver per credential was a tenth of a
    # page's CPU (graphql-core builds an info object and Strawberry its argument wrappers).
    skills: list[Skill] = strawberry.field(
        description="Skills it teaches or assesses.",
    )
    skill_links: list[SkillLink] = strawberry.field(
        resolver=lambda root: [SkillLink.from_model(s) for s in root.view.skills],
        description="Its skills with how each is linked: teaches or assesses, and how matched.",
    )
    occupations: list[Occupation] = strawberry.field(
        description="Occupations it prepares for.",
    )
    accredited_by: list[Issuer] = strawberry.field(
        resolver=lambda root: [Issuer.from_model(i) for i in root.view.accredited_by],
        description="Bodies that accredit or quality-assure the credential itself.",
    )
    outcomes: list[Outcome] = strawberry.field(
        resolver=lambda root: [Outcome.from_model(o) for o in root.view.credential.outcomes],
        description="Outcomes the publisher reports for holders: earnings, employment, awards.",
    )
    quality: Quality = strawberry.field(
        resolver=lambda root: Quality.from_model(quality_of(root.view.credential)),
        description="The evidence of its quality: QA bodies, assessment, reported outcomes.",
    )
    transparency: Transparency = strawberry.field(  # plain: see the module docstring
        description="What it discloses and what it leaves out.",
    )
    provenance: list[Provenance] = strawberry.field(
        resolver=lambda root: [Provenance.from_model(p) for p in root.view.provenance],
        description="Every document it was read from.",
    )
    first_seen: datetime = strawberry.field(description="When a crawl first found it.")
    last_seen: datetime = strawberry.field(description="When a crawl last found it.")
    stale: bool = strawberry.field(
        description="True when its source stopped listing it for several crawls in a row."
    )
    view: strawberry.Private[CredentialView]
    requires_ids: strawberry.Private[tuple[str, ...]]
    part_of_ids: strawberry.Private[tuple[str, ...]]
    has_part_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Credentials to hold before this one.")
    async def prerequisites(self, info: ApiInfo) -> list[Credential]:
        return await _credentials(info, self.requires_ids)

    @strawberry.field(description="Larger credentials this one stacks into.")
    async def part_of(self, info: ApiInfo) -> list[Credential]:
        return await _credentials(info, self.part_of_ids)

    @strawberry.field(description="Smaller credentials that stack into this one.")
    async def has_part(self, info: ApiInfo) -> list[Credential]:
        return await _credentials(info, self.has_part_ids)

    @strawberry.field(description="Credentials it prepares for (stated on either side).")
    async def prepares_for(self, info: ApiInfo) -> list[Credential]:
        links = await loaders_of(info).stacking.load(str(self.id))
        return await _credentials(info, links.prepares_for)

    @strawberry.field(description="Credentials that prepare for it (stated on either side).")
    async def prepared_by(self, info: ApiInfo) -> list[Credential]:
        links = await loaders_of(info).stacking.load(str(self.id))
        return await _credentials(info, links.prepared_by)

    @strawberry.field(description="Credit it grants toward other credentials.")
    async def advanced_standing_for(self, info: ApiInfo) -> list[AdvancedStanding]:
        links = await loaders_of(info).stacking.load(str(self.id))
        return await _standings(info, links.advanced_standing_for)

    @strawberry.field(description="Credit other credentials grant toward it.")
    async def advanced_standing_from(self, info: ApiInfo) -> list[AdvancedStanding]:
        links = await loaders_of(info).stacking.load(str(self.id))
        return await _standings(info, links.advanced_standing_from)

    @strawberry.field(description="Issuers' published pathways it appears in, by name.")
    async def published_pathways(self, info: ApiInfo) -> list[PublishedPathway]:
        found = await loaders_of(info).published_pathways.load(str(self.id))
        return [PublishedPathway.from_model(p) for p in found]

    @strawberry.field(description="Changes crawls have seen in it, oldest first.")
    async def history(self, info: ApiInfo) -> list[CredentialChange]:
        changes = await loaders_of(info).history.load(str(self.id))
        return [CredentialChange.from_model(c) for c in changes]

    @strawberry.field(
        description="Active job postings that ask for it by name, or whose required skills it covers at least half of."
    )
    async def demand(self, info: ApiInfo) -> Demand:
        return await Demand.load(info, NodeKind.CREDENTIAL, str(self.id))

    @classmethod
    def from_model(cls, view: CredentialView) -> Credential:
        c = view.credential
        return cls(
            id=strawberry.ID(c.id),
            name=c.name,
            description=c.description,
            type=CredentialType.from_model(c.type),
            url=c.url,
            ctid=c.ctid,
            language=c.language,
            issuer=_issuer(view.issuer) if view.issuer else None,
            skills=[shared_skill(link.skill) for link in view.skills],
            occupations=[_occupation(link.occupation) for link in view.occupations],
            duration_hours=c.duration_hours,
            credits=Credits.from_model(c.credits) if c.credits else None,
            cost=Money.from_model(c.cost) if c.cost else None,
            level=c.level,
            assessment=c.assessment,
            delivery_mode=c.delivery_mode,
            validity=c.validity,
            criteria=c.criteria,
            entry_requirements=c.prerequisites,
            keywords=list(c.keywords),
            first_seen=view.first_seen,
            last_seen=view.last_seen,
            stale=view.stale,
            transparency=Transparency.from_model(view.transparency),
            view=view,
            requires_ids=view.requires,
            part_of_ids=view.part_of,
            has_part_ids=view.has_part,
        )


async def _credentials(info: ApiInfo, ids: Iterable[str]) -> list[Credential]:
    return [Credential.from_model(v) for v in await load_present(loaders_of(info).credentials, ids)]


async def _standings(
    info: ApiInfo, standings: Iterable[AdvancedStandingModel]
) -> list[AdvancedStanding]:
    found = list(standings)
    views = {
        v.id: v
        for v in await load_present(loaders_of(info).credentials, [s.credential for s in found])
    }
    return [
        AdvancedStanding(
            credential=Credential.from_model(views[s.credential]),
            credits=Credits.from_model(s.credits) if s.credits else None,
            description=s.description,
        )
        for s in found
        if s.credential in views
    ]
