"""Close matches computed in a worker process, under a deadline that really stops them.

Building the lexical matcher over every stored skill and comparing is pure CPU: at ESCO size
(23,000 skills) an incremental run takes about 4 s and a full one about 40 s. Run in the
crawling process it would hold the event loop (lease renewals, other sources' crawls,
metrics) for all that time, and a thread could not be stopped. So it runs in a worker
process: the skills go there as plain tuples of strings (pickled on the pool's own thread,
which holds the interpreter lock while it pickles: 0.05 s at ESCO size, where the records'
dataclasses took 0.34 s) and are read as concepts there, the matches come back, and the
loop only waits. A computation still running after `CREDGRAPH_CLOSE_MATCH_SECONDS` (600 s by
default) has its worker killed and is a `CloseMatchesStopped` naming the limit.

    computed = await compute_close_matches(skills, changed, threshold)
    computed.matches, computed.compared

One worker per process (`PROCESSES`), started from a fork server on the first computation,
replaced after each one and stopped at exit: runs on one store take turns anyway
(`close_matches`), and a run ends with one computation at most. A script that crawls guards
its entry point with `if __name__ == "__main__":`, as every start method but fork asks.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pebble import ProcessExpired

from credgraph.config.env import deadline_from_env
from credgraph.errors import CredgraphError
from credgraph.link.frameworks import family_of_uri, framework_family
from credgraph.link.lexical import LOCAL, CloseMatch, Concept, LexicalMatcher
from credgraph.model.records import Skill
from credgraph.worker_processes import WorkerProcesses

SECONDS_VARIABLE = "CREDGRAPH_CLOSE_MATCH_SECONDS"
# A full run at ESCO and O*NET size takes about 40 s on one core: 600 s is a store many times
# that, or a host far busier; a computation past it is stopped rather than left to run.
DEFAULT_SECONDS = 600.0
MAX_SECONDS = 6 * 3600.0
# The matcher's modules, imported once by the fork server; "__main__" as multiprocessing's
# default has it.
_PRELOAD = ["__main__", "credgraph.link.close_match_workers"]


@dataclass(frozen=True, slots=True)
class Computed:
    """What a computation found: how many concepts the matcher held, the changed ids it held
    (None: every concept was compared) and the pairs at or above the threshold."""

    concepts: int
    compared: list[str] | None
    matches: list[CloseMatch]


# Runs in the worker: (skills, changed ids or None for all, threshold) -> Computed. A
# module-level function, which the worker imports by name.
Compute = Callable[[list[Skill], list[str] | None, float], Computed]
# What of a skill the matcher reads, as it crosses to the worker.
_Row = tuple[str, str, str | None, str | None, str | None, tuple[str, ...], tuple[str, ...]]


class CloseMatchesStopped(CredgraphError):
    """The computation did not finish: past its deadline, or its worker died or was stopped."""


def scheme_of(skill: Skill) -> str | None:
    """The scheme a skill belongs to for matching; None for a skill of no framework that is
    not an issuer's label either."""
    if skill.id.startswith("label:"):
        return LOCAL
    return framework_family(skill.framework) or family_of_uri(skill.uri)


def concepts_of(skills: list[Skill]) -> Iterator[Concept]:
    """The skills as concepts: labels preferred first, context from the description and the
    names of the broader skills (O*NET's technology examples name their commodity there)."""
    names = {s.id: s.name for s in skills}
    for skill in skills:
        scheme = scheme_of(skill)
        if scheme is None:
            continue
        context = (skill.description or "", *(names[b] for b in skill.broader if b in names))
        yield Concept(
            skill.id, scheme, (skill.name, *skill.alt_labels), tuple(c for c in context if c)
        )


def lexical_matches(skills: list[Skill], changed: list[str] | None, threshold: float) -> Computed:
    """The lexical matcher over the `skills`' concepts, and the matches of the `changed` ids
    it holds (of every concept when None)."""
    matcher = LexicalMatcher(concepts_of(skills), threshold=threshold)
    wanted = (
        None if changed is None else [i for i in dict.fromkeys(changed) if i in matcher.position]
    )
    found = matcher.matches(wanted) if wanted is None or wanted else []
    return Computed(len(matcher), wanted, found)


def close_match_seconds() -> float:
    """The deadline an operator set in CREDGRAPH_CLOSE_MATCH_SECONDS, else 600 s; a value that
    is not a number of seconds above 0 and at most six hours is a ConfigError naming it."""
    return deadline_from_env(SECONDS_VARIABLE, DEFAULT_SECONDS, high=MAX_SECONDS)


def _unguarded(_error: BrokenProcessPool) -> RuntimeError:
    return RuntimeError(
        "the close-match worker could not start: a script that crawls must guard its entry "
        'point with `if __name__ == "__main__":` (the fork server imports it)'
    )


# One task a worker: the matcher at ESCO size grows a worker by about 100 MB (peak RSS), which
# a worker kept for the next run would hold between runs; a new one forks in milliseconds.
PROCESSES = WorkerProcesses(1, _PRELOAD, _unguarded, max_tasks=1)


def _row(skill: Skill) -> _Row:
    return (skill.id, skill.name, skill.framework, skill.uri, skill.description,
            skill.alt_labels, skill.broader)  # fmt: skip


def _computed(compute: Compute, rows: list[_Row], changed: list[str] | None,
              threshold: float) -> Computed:  # fmt: skip
    """Runs in the worker."""
    skills = [Skill(i, name, framework, uri, description=description, alt_labels=alt,
                    broader=broader)
              for i, name, framework, uri, description, alt, broader in rows]  # fmt: skip
    return compute(skills, changed, threshold)


async def compute_close_matches(
    skills: list[Skill],
    changed: list[str] | None,
    threshold: float,
    *,
    compute: Compute = lexical_matches,
    seconds: float | None = None,
) -> Computed:
    """`compute(skills, changed, threshold)` in the worker; CloseMatchesStopped past
    `seconds` (CREDGRAPH_CLOSE_MATCH_SECONDS when None) or when the worker died under it."""
    limit = close_match_seconds() if seconds is None else seconds
    # pebble counts the deadline from the moment the worker takes the task, and kills the
    # worker that overruns it.
    rows = [_row(s) for s in skills]
    future = await PROCESSES.schedule(_computed, (compute, rows, changed, threshold), limit)
    try:
        computed: Computed = await asyncio.wrap_future(future)
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if future.cancelled() and task is not None and not task.cancelling():
            raise CloseMatchesStopped("the close-match worker was stopped under it") from None
        future.cancel()  # pebble kills its worker
        raise
    except TimeoutError:
        raise CloseMatchesStopped(
            f"computing them took longer than {limit:g} s ({SECONDS_VARIABLE}) and was stopped"
        ) from None
    except BrokenProcessPool:
        raise CloseMatchesStopped("the close-match worker was stopped under it") from None
    except ProcessExpired as exc:  # killed from outside, out of memory...
        code = exc.exitcode
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        raise CloseMatchesStopped(f"the close-match worker died under it ({how})") from None
    return computed


__all__ = [
    "DEFAULT_SECONDS",
    "PROCESSES",
    "SECONDS_VARIABLE",
    "CloseMatchesStopped",
    "Compute",
    "Computed",
    "close_match_seconds",
    "compute_close_matches",
    "concepts_of",
    "lexical_matches",
    "scheme_of",
]
