"""The comparison questions: credentials side by side, similar credentials, skill gaps.

Each answer is planned as a few batched store calls: ids are resolved in one call,
credentials load in one call (bringing their issuers, skills and occupations), and the
analyses (`credgraph.analysis`) do the rest, counting a skill as shared when it is the same
node or an equivalent one.
"""

from __future__ import annotations

import asyncio

from credgraph.analysis import compare_credentials, similar_credentials, skill_gap
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
    # Most callers name credentials by id: compare the keys as given while they load, and
    # compare again only when some key was a CTID or URL.
    asked = list(dict.fromkeys(keys))
    store = store_of(info)
    loaded, comparison = await asyncio.gather(
        loaders.credentials_by_key.load_many(keys), compare_credentials(store, asked)
    )
    resolved = [v.id if v else None for v in loaded]
    found = list(dict.fromkeys(r for r in resolved if r))
    if found != [k for k in asked if k in comparison.credential_ids]:
        comparison = await compare_credentials(store, found)
    views = list({v.id: v for v in loaded if v}.values())
    named = [i for shared in comparison.shared for i in shared.skill_ids]
    named += [s for skills in comparison.unique_skill_ids.values() for s in skills]
    # The compared credentials carry their skills: only a skill they do not (the store's
    # skill sets can be newer than a view) costs a lookup.
    skills = {s.skill.id: s.skill for v in views for s in v.skills}
    missing = [i for i in named if i not in skills]
    if missing:
        skills.update((s.id, s) for s in await load_present(loaders.skills, missing))
    compared = set(comparison.credential_ids)
    return CredentialComparison.from_model(
        comparison,
        [v for v in views if v.id in compared],
        skills,
        list(dict.fromkeys(k for k, r in zip(keys, resolved, strict=True) if r is None)),
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
