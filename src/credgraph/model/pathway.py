"""Issuers' published pathways (CTDL `ceterms:Pathway`): named components in an order, some
standing for credentials.

A component leads to the components listed in `leads_to` (CTDL's `precedes`, and a child
leading to its parent: `hasChild`/`isChildOf`, a ComponentCondition's `targetComponent`).
`credential_steps` joins the components that stand for credentials, bridging the others
(courses, competencies...), so the pathway search can follow an issuer's own order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credgraph.model.records import Provenance

MAX_COMPONENTS = 2_000


@dataclass(frozen=True, slots=True)
class PathwayComponent:
    """One component: a credential (by graph id), or a course or other step kept by name."""

    id: str
    name: str
    kind: str
    credential: str | None = None
    leads_to: tuple[str, ...] = ()
    destination: bool = False


@dataclass(frozen=True, slots=True)
class PublishedPathway:
    id: str
    name: str
    url: str | None = None
    ctid: str | None = None
    description: str | None = None
    components: tuple[PathwayComponent, ...] = ()
    provenance: Provenance | None = field(default=None, compare=False)

    def credentials(self) -> tuple[str, ...]:
        """The credentials its components stand for, in component order."""
        return tuple(dict.fromkeys(c.credential for c in self.components if c.credential))

    def credential_steps(self) -> tuple[tuple[str, str], ...]:
        """(from, to) credential pairs: a credential component leading, directly or through
        components that are not credentials, to another credential component."""
        by_id = {c.id: c for c in self.components}
        steps: dict[tuple[str, str], None] = {}
        for start in self.components:
            if start.credential is None:
                continue
            seen = {start.id}
            frontier = list(start.leads_to)
            while frontier:
                here = by_id.get(frontier.pop())
                if here is None or here.id in seen:
                    continue  # unknown component, or a cycle
                seen.add(here.id)
                if here.credential is not None:
                    if here.credential != start.credential:
                        steps[(start.credential, here.credential)] = None
                else:
                    frontier.extend(here.leads_to)
        return tuple(steps)


def validate_pathway(p: PublishedPathway) -> list[str]:
    problems = []
    if not isinstance(p.id, str) or not p.id.strip():
        problems.append("id is empty")
    if not isinstance(p.name, str) or not p.name.strip():
        problems.append("name is empty")
    if len(p.components) > MAX_COMPONENTS:
        problems.append(f"{len(p.components)} components; at most {MAX_COMPONENTS}")
    ids = [c.id for c in p.components]
    if len(set(ids)) != len(ids):
        problems.append("two components share an id")
    return problems
