"""Rendering a stream of nodes and edges in a format, as (file name, bytes) chunks: each file's
bytes contiguous, files in the format's order.

Items are taken from the store in batches of `BATCH` on the event loop; each batch is turned
into bytes in a worker thread (`writer.Writer` under `offload.Offload`), so the loop only
waits for the CPU work. Memory is bounded by a batch and its chunks. With a `deadline`, every
step (a batch read, a batch written, a history read) stops with ExportTimedOut once it passes.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence

from credgraph.export.deadline import Deadline, within
from credgraph.export.formats.base import Format
from credgraph.export.offload import Offload
from credgraph.export.writer import CHUNK, Chunk, Tally, Writer
from credgraph.model.views import CredentialChange
from credgraph.store.base import GraphItem

__all__ = ["BATCH", "CHUNK", "HISTORY_BATCH", "Tally", "render"]

BATCH = 1000  # items per step: small enough that no step holds the loop or a thread for long
HISTORY_BATCH = 500  # credentials per history read
History = Callable[[Sequence[str]], Awaitable[dict[str, list[CredentialChange]]]]


async def _next_batch(
    items: AsyncIterator[GraphItem], size: int, deadline: Deadline | None
) -> list[GraphItem]:
    """Up to `size` items; empty once the stream has ended."""
    batch: list[GraphItem] = []
    async with within(deadline):
        while len(batch) < size:
            try:
                batch.append(await anext(items))
            except StopAsyncIteration:
                break
    return batch


async def _closed(items: AsyncIterator[GraphItem]) -> None:
    """Let a stream stopped early release its cursor or session now, not when collected."""
    close = getattr(items, "aclose", None)
    if close is not None:
        await close()


async def render(
    items: AsyncIterator[GraphItem],
    fmt: Format,
    tally: Tally,
    *,
    interleaved: bool,
    history: History | None = None,
    deadline: Deadline | None = None,
) -> AsyncGenerator[Chunk, None]:
    """`interleaved`: the stream may send a node after an edge (a neighbourhood does, layer
    by layer; the whole graph sends every node first). `history`: where the exported
    credentials' change records come from, for formats that carry them."""
    writer = Writer(fmt, tally, interleaved=interleaved)
    offload = Offload(deadline)
    try:
        while batch := await _next_batch(items, BATCH, deadline):
            for chunk in await offload.run(writer.items, batch):
                yield chunk
        for chunk in await offload.run(writer.items_done):
            yield chunk
        more = writer.holds_edges
        while more:
            chunks, more = await offload.run(writer.held_edges, BATCH)
            for chunk in chunks:
                yield chunk
        if fmt.changes_file is not None:
            for chunk in await offload.run(writer.changes_begin):
                yield chunk
            ids = list(tally.credential_ids) if history is not None else []
            for start in range(0, len(ids), HISTORY_BATCH):
                batch_ids = ids[start : start + HISTORY_BATCH]
                assert history is not None
                async with within(deadline):
                    found = await history(batch_ids)
                for chunk in await offload.run(writer.changes, batch_ids, found):
                    yield chunk
        for chunk in await offload.run(writer.end):
            yield chunk
    finally:
        offload.close(writer.close)
        await _closed(items)
