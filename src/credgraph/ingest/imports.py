"""An import of a taxonomy source (O*NET, ESCO, a crosswalk): each release downloaded, then
stored batch by batch.

Taxonomy nodes are not credentials: nothing goes stale. When the import created or changed
nodes, the mentions crawled before it arrived are re-linked to them (credentials and
postings), and every skill's close matches are computed again. A crosswalk's equivalences are
stored once its whole document is read, replacing what that document stated before.

Occupations' requirements are owned by the source that states them. An O*NET release states
an occupation's requirements across several files, so they are held until the whole release
is read, then each occupation it lists gets exactly the requirements it states, replacing the
source's earlier ones (whole occupations per transaction). A release read part way replaces
none: an occupation never keeps half of a release's requirements.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from credgraph.errors import FetchError, RobotsDisallowed
from credgraph.fetch.result import Validators
from credgraph.formats.base import ParseError, ParseResult
from credgraph.ingest.crosswalk import owner_of, store_equivalences
from credgraph.ingest.run import RunStopped, SourceRun
from credgraph.ingest.taxonomy import download_release, reader_for, scratch_dir
from credgraph.link import load_linker, relink
from credgraph.link.postings import relink_postings
from credgraph.model.crawl import DocumentState
from credgraph.model.records import (
    Equivalence,
    Occupation,
    Provenance,
    Skill,
    SkillRequirement,
)

# A document state no fetch reads, per source: OWED from before the first batch of a release
# is stored until the re-linking the import calls for has ended, then DONE. A run stopped in
# between (SIGTERM, a lost lease) leaves it OWED, so the next run re-links even when it finds
# every release unchanged (a folder release has no content hash to tell it apart otherwise).
RELINK_OWED = "credgraph:re-linking"
OWED, DONE = "owed", "done"

# The formats whose releases state occupations' requirements (a crosswalk names occupations,
# ISCO-08 groups, without stating any).
REQUIREMENT_FORMATS = frozenset({"onet", "esco"})
# Requirements per replacement transaction, about a batch of the release; whole occupations.
REPLACE_BATCH = 5000


def requirements_owner(source_id: str) -> str:
    """A taxonomy source owns the requirements it states, whichever of its releases (a new
    release often has a new URL) stated them last."""
    return f"taxonomy {source_id}"


def requirement_batches(
    held: Mapping[str, Sequence[SkillRequirement]], size: int = REPLACE_BATCH
) -> Iterator[tuple[list[str], list[SkillRequirement]]]:
    """A release's requirements by occupation as replacements of whole occupations, in the
    release's order, about `size` requirements each."""
    occupation_ids: list[str] = []
    batch: list[SkillRequirement] = []
    for occupation_id, requirements in held.items():
        occupation_ids.append(occupation_id)
        batch.extend(requirements)
        if len(batch) >= size:
            yield occupation_ids, batch
            occupation_ids, batch = [], []
    if occupation_ids:
        yield occupation_ids, batch


class TaxonomyImport(SourceRun):
    """One run over a taxonomy source's releases."""

    def _prepare(self) -> None:
        self.equivalences: list[Equivalence] = []  # of the crosswalk document being read
        self.relink_marked = False  # RELINK_OWED saved as owed by this run
        # of the release being read: each occupation it lists, with the requirements it states
        self.requirements: dict[str, list[SkillRequirement]] = {}

    async def _work(self, states: dict[str, DocumentState]) -> None:
        owed = states.get(RELINK_OWED)
        owed_before = owed is not None and owed.content_hash == OWED
        await self._import_taxonomies(states)
        if self.tally.created or self.tally.updated or owed_before:
            # Mentions crawled before this taxonomy arrived now join its nodes.
            await self._mark_relink(OWED)
            linker = await load_linker(self.store)
            relinked = await relink(self.store, linker, stop_point=self._relink_point)
            self.tally.updated += relinked.updated
            self.tally.updated += await relink_postings(
                self.store, linker, stop_point=self._relink_point
            )
            await self._close_matches(None)
        if self.relink_marked or owed_before:
            await self._mark_relink(DONE)

    async def _mark_relink(self, state: str) -> None:
        if state == OWED and self.relink_marked:
            return
        self.relink_marked = state == OWED
        await self.store.save_document_states(
            [DocumentState(self.source.id, RELINK_OWED, content_hash=state)]
        )

    def _relink_point(self) -> None:
        if self.stop_reason is not None:
            self.tally.error(
                self.source.urls[0],
                f"run stopped while re-linking stored mentions: {self.stop_reason}; the next "
                "run re-links",
            )
            raise RunStopped(self.stop_reason)

    async def _import_taxonomies(self, states: dict[str, DocumentState]) -> None:
        read, folder_files = reader_for(self.source.format)
        for url in self.source.urls:
            state = states.get(url)
            validators = (
                Validators(state.etag, state.last_modified, state.content_hash) if state else None
            )
            with scratch_dir() as workdir:
                try:
                    fetched, files = await download_release(
                        self.fetcher, url, Path(workdir), folder_files, validators, self.tally.error
                    )
                except RobotsDisallowed:
                    self.tally.skipped_by_robots += 1
                    continue
                except FetchError as exc:
                    self.tally.error(url, exc.reason)
                    continue
                if files is None:  # unchanged release
                    self.tally.not_modified += 1
                    self.tally.documents_ok += 1
                    continue
                self.tally.fetched += 1
                try:
                    assert fetched is not None
                    provenance = Provenance(
                        self.source.id,
                        url,
                        self.source.format,
                        datetime.now(UTC),
                        fetched.content_hash,
                        self.source.licence,
                    )
                    self.equivalences = []
                    self.requirements = {}
                    # Owed before anything is stored: a run stopped from here on re-links
                    # on the next, which may find the release stored and unchanged.
                    await self._mark_relink(OWED)
                    for batch in read(files, batch_size=5000, provenance=provenance):
                        for warning in batch.warnings:
                            self.tally.warnings += 1
                            self.tally.error(url, warning)
                        self._checkpoint(url)  # the release stays unsaved: re-read next run
                        await self._store(url, batch)
                    await self._replace_requirements(url)
                    settled = await self._store_equivalences(url)
                except ParseError as exc:  # e.g. the release lacks its main file
                    self.tally.error(url, exc.reason)
                    continue
                except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
                    # a member found damaged as it is read (a bad CRC, a cut stream): what was
                    # stored stays, and the release is read again on the next run
                    self.tally.error(url, f"the archive is damaged: {exc}")
                    continue
                finally:
                    close = getattr(files, "close", None)
                    if close is not None:
                        close()
                self.tally.documents_ok += 1
                assert fetched is not None
                if settled:  # else read it again next run: the missing ends may have arrived
                    await self._save(url, fetched, (), ())

    async def _store(
        self, url: str, result: ParseResult
    ) -> tuple[ParseResult, list[Skill | Occupation]]:
        if self.source.format in REQUIREMENT_FORMATS:
            self._hold_requirements(result)
        stored, arrived = await super()._store(url, result)
        self.equivalences.extend(stored.equivalences)  # stored once the document is read
        return stored, arrived

    def _hold_requirements(self, result: ParseResult) -> None:
        """Take the batch's requirements out of it, kept by occupation until the release is
        read (an occupation's are spread over several files)."""
        for occupation in result.occupations:
            self.requirements.setdefault(occupation.id, [])
        for requirement in result.requirements:
            self.requirements.setdefault(requirement.occupation_id, []).append(requirement)
        result.requirements = []

    async def _replace_requirements(self, url: str) -> None:
        """Store the release's requirements, each occupation's replacing those the source
        stated before. Requirements the source no longer states count as updates."""
        owner = requirements_owner(self.source.id)
        for occupation_ids, batch in requirement_batches(self.requirements):
            self._checkpoint(url)  # the occupations replaced so far are whole
            report = await self.store.replace_skill_requirements(owner, occupation_ids, batch)
            self.tally.add(report)
            self.tally.updated += report.deleted
            for rejected in report.rejected:
                self.tally.error(url, f"record rejected: {rejected}")
        self.requirements = {}

    async def _store_equivalences(self, url: str) -> bool:
        """Replace what this crosswalk document states; False when some pairs could not be
        stored (an end not imported yet)."""
        if self.source.format != "crosswalk":
            return True
        report = await store_equivalences(
            self.store, owner_of(self.source.id, url), self.equivalences
        )
        self.tally.created += report.created
        self.tally.updated += report.deleted
        self.tally.unchanged += report.unchanged
        if report.rejected:
            examples = "; ".join(str(r) for r in report.rejected[:3])
            self.tally.error(
                url,
                f"{len(report.rejected)} of {len(self.equivalences)} equivalences not stored "
                f"(import the taxonomies they join first; this crosswalk is read again on the "
                f"next run), e.g. {examples}",
            )
        return not report.rejected
