"""A deterministic synthetic credential graph shaped like the real thing, generated in batches.

2,000 issuers, 100,000 credentials, 20,000 skills, 1,000 occupations; every credential has an
issuer, 8 skills and 2 occupations (about 1.1M relationships). Credentials cluster by topic so
that similarity and occupation queries return realistic result sizes.

With `stacking=True` (opt-in: the other benches' graph is unchanged) credentials also carry
preparation links, computed from the index alone so the random draws above stay the same:
each credential prepares for the next level of its topic (i + topics), every fifth also for
the level after (a branch), every seventh grants advanced standing toward a neighbour topic's
next level, every eleventh is part of a credential three levels up, and one in a thousand
prepares for a credential three levels down (a cycle).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace

from credgraph.model import (
    Credential,
    CredentialType,
    Credits,
    Issuer,
    Money,
    Occupation,
    OccupationLink,
    Skill,
    SkillLink,
)
from credgraph.model.stacking import AdvancedStanding

TYPES = list(CredentialType)
WORDS = [
    "data",
    "cloud",
    "security",
    "nursing",
    "welding",
    "finance",
    "design",
    "logistics",
    "marketing",
    "teaching",
    "python",
    "sql",
    "networks",
    "robotics",
    "ethics",
    "accounting",
]


@dataclass(frozen=True)
class Shape:
    issuers: int = 2_000
    credentials: int = 100_000
    skills: int = 20_000
    occupations: int = 1_000
    skills_per_credential: int = 8
    occupations_per_credential: int = 2
    topics: int = 500

    def scaled(self, factor: float) -> Shape:
        return Shape(
            max(10, int(self.issuers * factor)),
            max(50, int(self.credentials * factor)),
            max(100, int(self.skills * factor)),
            max(20, int(self.occupations * factor)),
            self.skills_per_credential,
            self.occupations_per_credential,
            max(5, int(self.topics * factor)),
        )


def issuer(shape: Shape, i: int) -> Issuer:
    return Issuer(
        f"https://issuer{i}.example",
        f"Issuer {i} {WORDS[i % len(WORDS)]} academy",
        country=["US", "DE", "IE", "FR", "IN", "BR"][i % 6],
    )


def skill(shape: Shape, i: int) -> Skill:
    framework = "ESCO" if i % 3 else None
    return Skill(
        f"https://skills.example/s{i}", f"{WORDS[i % len(WORDS)]} skill {i}", framework=framework
    )


def occupation(shape: Shape, i: int) -> Occupation:
    code = f"{11 + i % 40:02d}-{1000 + i:04d}.00"
    return Occupation(
        f"onet:{code}", f"Occupation {i} {WORDS[i % len(WORDS)]}", code=code, framework="O*NET-SOC"
    )


def issuers(shape: Shape) -> list[Issuer]:
    return [issuer(shape, i) for i in range(shape.issuers)]


def skills(shape: Shape) -> list[Skill]:
    return [skill(shape, i) for i in range(shape.skills)]


def occupations(shape: Shape) -> list[Occupation]:
    return [occupation(shape, i) for i in range(shape.occupations)]


def credential_id(shape: Shape, i: int) -> str:
    return f"https://issuer{i % shape.issuers}.example/credentials/{i}"


def stacking(shape: Shape, c: Credential, i: int) -> Credential:
    """`c` with the preparation links of credential `i` (see the module docstring)."""
    up = shape.topics
    prepares = [i + up] if i + up < shape.credentials else []
    if i % 5 == 0 and i + 2 * up < shape.credentials:
        prepares.append(i + 2 * up)
    if i % 1000 == 3 and i >= 3 * up:
        prepares.append(i - 3 * up)
    standing = ()
    if i % 7 == 0 and i + up + 1 < shape.credentials:
        standing = (AdvancedStanding(credential_id(shape, i + up + 1), Credits(6, "credit hours")),)
    part_of = (
        (credential_id(shape, i + 3 * up),)
        if i % 11 == 0 and i + 3 * up < shape.credentials
        else ()
    )
    return replace(
        c,
        prepares_for=tuple(credential_id(shape, p) for p in prepares),
        advanced_standing_for=standing,
        part_of=part_of,
    )


def credential(shape: Shape, i: int, rng: random.Random) -> Credential:
    topic = i % shape.topics
    block = shape.skills // shape.topics
    local = [topic * block + k for k in rng.sample(range(block), min(block, 6))]
    extra = rng.sample(range(shape.skills), shape.skills_per_credential - len(local))
    skill_ids = list(dict.fromkeys(local + extra))
    while len(skill_ids) < shape.skills_per_credential:
        skill_ids.append(rng.randrange(shape.skills))
        skill_ids = list(dict.fromkeys(skill_ids))
    occ_block = max(1, shape.occupations // shape.topics)
    occ_ids = list(
        dict.fromkeys([(topic * occ_block) % shape.occupations, rng.randrange(shape.occupations)])
    )
    has_cost = rng.random() < 0.8
    has_hours = rng.random() < 0.7
    return Credential(
        credential_id(shape, i),
        f"{WORDS[topic % len(WORDS)].title()} credential {i}",
        TYPES[i % len(TYPES)],
        description=f"Learn {WORDS[topic % len(WORDS)]} and {WORDS[(topic + 3) % len(WORDS)]}.",
        issuer=issuer(shape, i % shape.issuers),
        language="en",
        duration_hours=float(rng.randrange(1, 400)) if has_hours else None,
        cost=Money(float(rng.randrange(0, 3000)), "USD") if has_cost else None,
        skills=tuple(SkillLink(skill(shape, s)) for s in skill_ids),
        occupations=tuple(OccupationLink(occupation(shape, o)) for o in occ_ids),
    )


def credential_batches(
    shape: Shape, batch: int = 5_000, seed: int = 42, *, stacked: bool = False
) -> Iterator[list[Credential]]:
    rng = random.Random(seed)
    out: list[Credential] = []
    for i in range(shape.credentials):
        made = credential(shape, i, rng)
        out.append(stacking(shape, made, i) if stacked else made)
        if len(out) == batch:
            yield out
            out = []
    if out:
        yield out
