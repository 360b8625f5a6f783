"""The comparison questions: credentials side by side, similar credentials, skill gaps.

Each answer is planned as a few batched store calls: a comparison reads its credentials
(with their issuers, skills and occupations) and the equivalences at their skills in one call
of the port, resolving only keys that were not ids, and the analyses (`credgraph.analysis`)
do the rest, counting a skill as shared when it is the same node or an equivalent one.
"""

from __future__ import annotations

import asyncio

from credgraph.analysis import compare_views, similar_credentials, skill_gap
from credgraph.analysis.occupations import soc_group
from credgraph.api.arguments import InvalidArgument, canonical_key, occupation_keys
from credgraph.api.context import ApiInfo, loaders_of, store_of
from credgraph.api.loaders import first_found, load_present
from credgraph.api.types.credential_comparison import CredentialComparison
from credgraph.api.types.similar_credential import SimilarCredential
from credgraph.api.types.skill_gap import SkillGap
from credgraph.model.ids import is_soc_code
from credgraph.model.records import Occupation

MAX_COMPARED = 20  # pairs grow with the square: 20 credentials are 190 pairs
MAX_HELD = 500  # credentials and skills someone holds, in one skill-gap question


async def compare(info: ApiInfo, keys: list[str]) -> CredentialComparison:
    """Compare the credentials named by `keys` (ids, CTIDs or URLs); unknown ones are named
    in `unknownIds` and left out."""
    if len(keys) > MAX_COMPARED:
        raise InvalidArgument(
            f"`ids` names {len(keys)} credentials; compare at most {MAX_COMPARED} at once"
        )
    loaders = loaders_of(info)
    store = store_of(info)
    asked = list(dict.fromkeys(keys))
    # Most callers name credentials by id: one read of the port brings the views and the
    # equivalences at their skills; keys that were CTIDs or URLs are resolved and read again.
    views, related = await store.compared_credentials(asked, projection=loaders.projection)
    resolved = {v.id: v.id for v in views}
    others = [k for k in asked if k not in resolved]
    if others:
        ids = await loaders.credential_ids.load_many(others)
        resolved.update((k, i) for k, i in zip(others, ids, strict=True) if i is not None)
        wanted = list(dict.fromkeys(resolved[k] for k in asked if k in resolved))
        if wanted != [v.id for v in views]:
            views, related = await store.compared_credentials(wanted, projection=loaders.projection)
    loaders.prime_views(views)
    comparison = compare_views(views, related)
    skills = {s.skill.id: s.skill for v in views for s in v.skills}
    return CredentialComparison.from_model(
        comparison,
        views,
        skills,
        list(dict.fromkeys(k for k in keys if k not in resolved)),
    )


async def similar(info: ApiInfo, key: str, size: int) -> list[SimilarCredential]:
    """Up to `size` credentials most like the one `key` names; none if it is unknown."""
    loaders = loaders_of(info)
    store = store_of(info)
    # Most callers name the credential by id: ask with the key as given, and resolve it (a
    # CTID or URL) only when that found nothing.
    answers = await similar_credentials(store, key, size)
    if not answers:
        found = await loaders.credential_ids.load(key)
        if found is None or found == key:
            return []
        answers = await similar_credentials(store, found, size)
    views = {
        v.id: v for v in await load_present(loaders.credentials, [a.credential_id for a in answers])
    }
    shared = [i for a in answers for i in a.shared_skill_ids]
    shared += [i for a in answers for asked, m in a.equivalent for i in (asked, m.skill_id)]
    skills = {s.id: s for s in await load_present(loaders.skills, shared)}
    return [
        SimilarCredential.from_model(a, views[a.credential_id], skills)
        for a in answers
        if a.credential_id in views
    ]


async def gap(info: ApiInfo, occupation: str, have: list[str]) -> SkillGap | None:
    """The skill gap between `occupation` (id, URI or SOC code) and `have` (credentials by
    id, CTID or URL, or skills by id or URI); None if the occupation is unknown. A SOC code
    no stored occupation has (15-2051) stands for its detailed O*NET-SOC occupations."""
    if len(have) > MAX_HELD:
        raise InvalidArgument(f"`have` names {len(have)} ids; the limit is {MAX_HELD}")
    loaders = loaders_of(info)
    store = store_of(info)
    found, credentials = await asyncio.gather(
        first_found(loaders.occupations, occupation_keys(occupation)),
        loaders.credential_ids.load_many(have),
    )
    if found is None:
        found = await _detailed_occupation(info, occupation)
    if found is None:
        return None
    held = [c or canonical_key(k) for k, c in zip(have, credentials, strict=True)]
    answer = await skill_gap(store, found, list(dict.fromkeys(held)))
    loaders.required_skills.prime(found.id, list(answer.required))
    reasons = [r for p in answer.recommendations for r in p.reasons]
    skill_ids = [r.skill_id for r in answer.required]
    skill_ids += [m.skill_id for m in answer.covered_through.values()]
    skill_ids += [i for r in reasons for i in (r.skill_id, r.via) if i]
    views, skills, occupations = await asyncio.gather(
        load_present(loaders.credentials, [r.credential_id for r in answer.recommendations]),
        load_present(loaders.skills, skill_ids),
        load_present(loaders.occupations, [r.occupation_id for r in reasons if r.occupation_id]),
    )
    return SkillGap.from_model(
        answer, found, {s.id: s for s in skills}, views, {o.id: o for o in occupations}
    )


async def _detailed_occupation(info: ApiInfo, key: str) -> Occupation | None:
    """For a SOC code with no occupation of its own, its first detailed O*NET-SOC one."""
    group = soc_group(key) if is_soc_code(key) else None
    if group is None:
        return None
    page = await store_of(info).list_occupations(code_prefix=group, first=20)
    detailed = sorted(
        (o for o in page.items if soc_group(o.code) == group), key=lambda o: o.code or ""
    )
    return detailed[0] if detailed else None
