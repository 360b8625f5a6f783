"""The endpoint's compiled path: answer a query from its plan (credgraph.api.plans) when it can,
with the same limits as the full executor, and say None when the full executor must answer.

    compiled = CompiledQueries(schema, documents, settings)
    data = await compiled.answer(query, variables, operation_name, context)
    # a dict: the answer; None: run the operation through strawberry as before;
    # raises OperationTimedOut past settings.timeout_seconds

The document goes through the same `DocumentCache` as the full executor's `DocumentLimits`
(one parse and one verdict per query text, whichever path sees it first), and the same cost
estimate; a refused document, an operation too expensive, several operations without a name,
or anything the plan cannot answer cleanly, all go to the full executor, which words the error.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import FragmentDefinitionNode, OperationDefinitionNode, specified_rules

from credgraph.api.documents import DocumentCache, Prepared
from credgraph.api.http.request_info import current_request
from credgraph.api.plans import Plan, compile_operation
from credgraph.api.settings import ApiSettings

log = logging.getLogger("credgraph.api")
_RULES = tuple(specified_rules)  # strawberry's default validation rules: the cache key's verdict


class OperationTimedOut(Exception):
    """The compiled run passed `timeout_seconds`."""


class CompiledQueries:
    def __init__(
        self, schema: strawberry.Schema, documents: DocumentCache, settings: ApiSettings
    ) -> None:
        self.schema = schema._schema
        self.documents = documents
        self.max_cost = settings.max_cost
        self.list_size = settings.default_list_size
        self.timeout = settings.timeout_seconds

    async def answer(
        self,
        query: str,
        variables: Mapping[str, Any] | None,
        operation_name: str | None,
        context: Any,
        *,
        record: bool = True,
    ) -> dict[str, Any] | None:
        """The answer, or None for the full executor; `record`: note the operation's name on
        the request (for the access log and metrics), as the full executor does."""
        prepared = self.documents.prepare(self.schema, query, validation_rules=_RULES)
        if prepared is None or prepared.errors:
            return None
        plan = self._plan(prepared, operation_name)
        if plan is None:
            return None
        cost = prepared.cost(self.schema, plan.operation, variables or {}, self.list_size)
        if cost > self.max_cost:
            return None
        try:
            async with asyncio.timeout(self.timeout):
                data = await plan.run(context, variables)
        except TimeoutError:
            raise OperationTimedOut from None
        if data is not None and record:
            info = current_request()
            if info is not None:
                name = plan.operation.name
                info.operations.append(name.value if name else "anonymous")
        return data

    def _plan(self, prepared: Prepared, operation_name: str | None) -> Plan | None:
        if operation_name in prepared.plans:
            found: Plan | None = prepared.plans[operation_name]
            return found
        operations = [d for d in prepared.document.definitions
                      if isinstance(d, OperationDefinitionNode)]  # fmt: skip
        operation = prepared.operation(operation_name)
        if operation is None or (operation_name is None and len(operations) > 1):
            return None  # not cached: names a caller makes up must not grow the entry
        fragments = {d.name.value: d for d in prepared.document.definitions
                     if isinstance(d, FragmentDefinitionNode)}  # fmt: skip
        plan = prepared.plans[operation_name] = compile_operation(self.schema, fragments, operation)
        return plan


@dataclass(slots=True)
class VerifyTally:
    """What `verify` mode compared in this process (the test suite fails on a mismatch)."""

    compared: int = 0
    mismatches: list[str] = field(default_factory=list)


TALLY = VerifyTally()


def check_same(
    query: str, compiled: dict[str, Any], full: Any, errors: Any, tally: VerifyTally = TALLY
) -> bool:
    """In `verify` mode: the compiled answer must equal the full executor's, which answered
    without errors; a difference is logged and remembered in `tally`."""
    tally.compared += 1
    same = not errors and compiled == full
    if not same:
        tally.mismatches.append(query)
        log.error(
            "compiled answer differs from the full executor's for %r: %r != %r (errors: %r)",
            query[:200], compiled, full, errors,
        )  # fmt: skip
    return same
