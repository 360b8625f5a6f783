"""Completion for compiled plans: the functions that turn a resolved value into its response
value, built once per field of a plan for the field's exact type.

    step = object_step(fields)          # a Step: (value, run) -> response value, or awaitable
    data = step.complete(source, run)

Each builder says whether its result can be awaitable (`Step.sync` False): a field read from an
attribute, completed by synchronous steps all the way down, never is, so the completion of
that subtree skips every awaitable test. An object's completion is generated as one Python
function (`object_step`): for the plain fields most queries select (ids, names, numbers) it
reads the attribute, checks for null and serialises inline, with no call per field; strings and
ids that are already `str`, which is what the GraphQL String and ID scalars return unchanged,
skip the scalar's serialiser. A comparison of three credentials completes ~300 values, and the
general loop's calls per value were one of the largest costs in its profile.

Anything that is not a clean answer raises `Bail`; the caller then defers to the full executor,
which words the error (see credgraph.api.plans).
"""

from __future__ import annotations

import asyncio
import inspect
import keyword
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import GeneratorType
from typing import Any, Protocol, TypeGuard

from graphql import GraphQLID, GraphQLString, Undefined

Complete = Callable[[Any, Any], Any]  # (value, run) -> the response value, or an awaitable
Serialize = Callable[[Any], Any]

_PLAIN = frozenset({str, int, float, bool, type(None), dict, list, tuple})
_AWAITABLE: dict[type, bool] = {}  # by type: the types a schema's resolvers return are few
# Serialisers that return a `str` argument unchanged (graphql-core: `serialize_string`,
# `serialize_id`), so a `str` value needs no call.
_STR_UNCHANGED = frozenset({GraphQLString.serialize, GraphQLID.serialize})


class Bail(Exception):
    """This answer needs the full executor: a null where a value is required, or the like."""


def is_pending(value: Any) -> TypeGuard[Awaitable[Any]]:
    """Whether `value` must be awaited (a resolver's coroutine or a DataLoader's future)."""
    kind = type(value)
    known = _AWAITABLE.get(kind)
    if known is None:  # an abc check costs a microsecond: once per type, not per value
        known = kind not in _PLAIN and inspect.isawaitable(value)
        if kind is not GeneratorType:  # a generator may be awaitable or not, one by one
            _AWAITABLE[kind] = known
    return known


@dataclass(frozen=True, slots=True)
class Step:
    """How one field's value completes; `sync`: its result is never awaitable."""

    complete: Complete
    sync: bool
    # The same completion for a non-null position, raising Bail on null itself: a non-null
    # list item or object then costs no wrapping call per value. None when this step is
    # already that (made by `non_null_step`) or has no such variant.
    required: Complete | None = None
    scalar: Serialize | None = None  # a leaf type: its serialiser (lists of leaves inline it)


class Field(Protocol):
    """What `object_step` needs of a field of the plan (credgraph.api.plans.FieldPlan)."""

    @property
    def key(self) -> str: ...
    @property
    def type_name(self) -> str:  # the object type the field is selected on
        ...
    @property
    def attribute(self) -> str | None:  # a plain field: the attribute it reads
        ...
    @property
    def is_typename(self) -> bool: ...
    @property
    def step(self) -> Step: ...
    @property
    def leaf(self) -> tuple[Serialize, bool] | None:  # a leaf type: (serialiser, non-null)
        ...

    def resolve(self, source: Any, run: Any) -> Any: ...


def leaf_step(serialize: Serialize) -> Step:
    if serialize in _STR_UNCHANGED:

        def text(value: Any, run: Any) -> Any:
            if value.__class__ is str or value is None:
                return value
            return serialised(serialize, value)

        def required_text(value: Any, run: Any) -> Any:
            if value.__class__ is str:
                return value
            if value is None:
                raise Bail("null for a non-null field")
            return serialised(serialize, value)

        return Step(text, True, required_text, serialize)

    def complete(value: Any, run: Any) -> Any:
        return None if value is None else serialised(serialize, value)

    def required(value: Any, run: Any) -> Any:
        if value is None:
            raise Bail("null for a non-null field")
        return serialised(serialize, value)

    return Step(complete, True, required, serialize)


def serialised(serialize: Serialize, value: Any) -> Any:
    out = serialize(value)
    if out is None or out is Undefined:
        raise Bail("a leaf that does not serialise")
    return out


def non_null_step(inner: Step) -> Step:
    if inner.required is not None:
        return Step(inner.required, inner.sync, None, inner.scalar)
    complete = inner.complete
    if inner.sync:

        def required(value: Any, run: Any) -> Any:
            done = complete(value, run)
            if done is None:
                raise Bail("null for a non-null field")
            return done

        return Step(required, True)

    def required_later(value: Any, run: Any) -> Any:
        done = complete(value, run)
        if done is None:
            raise Bail("null for a non-null field")
        return _non_null_later(done) if is_pending(done) else done

    return Step(required_later, False)


async def _non_null_later(pending: Awaitable[Any]) -> Any:
    done = await pending
    if done is None:
        raise Bail("null for a non-null field")
    return done


def list_step(item: Step) -> Step:
    each = _items(item)

    def complete(value: Any, run: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, (str, bytes, Mapping)):
            raise Bail("a list field answered a non-list")
        return each(value, run)

    def required(value: Any, run: Any) -> Any:
        if value is None:
            raise Bail("null for a non-null field")
        if isinstance(value, (str, bytes, Mapping)):
            raise Bail("a list field answered a non-list")
        return each(value, run)

    return Step(complete, item.sync, required)


def _items(item: Step) -> Callable[[Any, Any], Any]:
    """Completes the items of a list value (checked to be a list)."""
    complete = item.complete
    if not item.sync:

        def later(value: Any, run: Any) -> Any:
            out = [complete(v, run) for v in value]
            waiting = [i for i, v in enumerate(out) if is_pending(v)]
            return settle(out, waiting) if waiting else out

        return later
    if item.scalar in _STR_UNCHANGED:  # strings and ids: no call for an item that is a str
        if item.required is None:  # non-null items (the step was made by non_null_step)

            def texts(value: Any, run: Any) -> Any:
                return [v if v.__class__ is str else complete(v, run) for v in value]

            return texts

        def optional_texts(value: Any, run: Any) -> Any:
            return [v if v.__class__ is str or v is None else complete(v, run) for v in value]

        return optional_texts

    def each(value: Any, run: Any) -> Any:
        return [complete(v, run) for v in value]

    return each


def object_step(fields: Sequence[Field], *, root: bool = False) -> Step:
    """One generated function completing an object's selection in document order."""
    env: dict[str, Any] = {"Bail": Bail, "is_pending": is_pending, "settle": settle,
                           "serialised": serialised}  # fmt: skip
    body: list[str] = []
    sync = True
    for i, f in enumerate(fields):
        key = repr(f.key)
        read = _attribute_read(f.attribute)
        if f.is_typename:
            body.append(f"out[{key}] = {f.type_name!r}")
        elif read is not None and f.leaf is not None:
            serialize, required = f.leaf
            env[f"s{i}"] = serialize
            body += [f"v = {read}", "if v is None:",
                     "    raise Bail('null for a non-null field')" if required
                     else f"    out[{key}] = None"]  # fmt: skip
            if serialize in _STR_UNCHANGED:
                body += ["elif v.__class__ is str:", f"    out[{key}] = v"]
            body += ["else:", f"    out[{key}] = serialised(s{i}, v)"]
        elif read is not None and f.step.sync:
            env[f"c{i}"] = f.step.complete
            body.append(f"out[{key}] = c{i}({read}, run)")
        else:  # a resolver, or a completion that may wait
            sync = False
            env[f"f{i}"] = f
            body += [f"d = out[{key}] = f{i}.resolve(value, run)",
                     "if is_pending(d):", f"    waiting.append({key})"]  # fmt: skip
    tail = ["    out = {}"]
    if not sync:
        tail.append("    waiting = []")
    tail += [f"    {line}" for line in body]
    tail.append("    return out" if sync else "    return settle(out, waiting) if waiting else out")
    # The source holds only attribute names checked as identifiers, repr()'d response keys
    # and the type's name: nothing a query can inject (keys are GraphQL names anyway).
    if root:  # the root value is None and still has fields
        exec(compile("\n".join(["def complete(value, run):", *tail]), "<plan>", "exec"), env)
        return Step(env["complete"], sync)
    source = [
        "def complete(value, run):", "    if value is None:", "        return None", *tail,
        "def required(value, run):", "    if value is None:",
        "        raise Bail('null for a non-null field')", *tail,
    ]  # fmt: skip
    exec(compile("\n".join(source), "<plan>", "exec"), env)
    return Step(env["complete"], sync, env["required"])


def _attribute_read(attribute: str | None) -> str | None:
    """`value.<attribute>` when that is valid Python, else None (then the field resolves)."""
    if attribute is None or not attribute.isidentifier() or keyword.iskeyword(attribute):
        return None
    return f"value.{attribute}"


async def settle(out: Any, waiting: list[Any]) -> Any:
    """Await the pending entries of `out` together (so DataLoader loads batch), in place."""
    if len(waiting) == 1:  # nothing to batch it with: no task needed
        out[waiting[0]] = await out[waiting[0]]
        return out
    settled = await asyncio.gather(*(out[k] for k in waiting), return_exceptions=True)
    failed = next((s for s in settled if isinstance(s, BaseException)), None)
    if failed is not None:
        raise failed
    for k, v in zip(waiting, settled, strict=True):
        out[k] = v
    return out
