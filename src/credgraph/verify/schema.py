"""The `schema` check: an OB 3.0 / CLR 2.0 credential against the 1EdTech JSON Schema for its
type, shipped with the package (`schemas/index.json` says where each file came from) and never
fetched, like the JSON-LD contexts.

    FAILED (INVALID)        the credential breaks its schema; the reason names the JSON paths
    PASSED                  it conforms
    NOT_CHECKED (skipped)   no shipped schema applies, and the reason says why

The shipped schemas are draft 2019-09 with every `$ref` internal. `format` is an annotation in
that draft, so dates are not format-checked here: the `issued`/`expiry` checks read them.

Validating a large document costs CPU (a 240 KB credential ~0.3 s), so `ob3` computes the
`verdict` in a worker process and `record`s it; `check_schema` does both in the caller.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft201909Validator
from jsonschema.exceptions import ValidationError, best_match, relevance

from credgraph.verify.result import Checks, Outcome

NAME = "schema"
MAX_ERRORS = 3
_VC_V1 = "https://www.w3.org/2018/credentials/v1"


@cache
def shipped_schemas() -> dict[str, dict[str, Any]]:
    """Schema URL -> its entry in schemas/index.json (file, types, source, sha256, licence)."""
    index = json.loads(_read("index.json"))
    return {url: entry for url, entry in index.items() if not url.startswith("_")}


@cache
def _validator(url: str) -> Draft201909Validator:
    return Draft201909Validator(json.loads(_read(shipped_schemas()[url]["file"])))


def _read(name: str) -> str:
    return resources.files("credgraph.verify").joinpath("schemas", name).read_text("utf-8")


def _types(credential: dict[str, Any]) -> list[str]:
    found = credential.get("type")
    return [t for t in (found if isinstance(found, list) else [found]) if isinstance(t, str)]


def schema_for(credential: dict[str, Any]) -> tuple[str | None, str]:
    """(URL of the shipped schema that applies, or None; why none applies)."""
    types = _types(credential)
    context = credential.get("@context")
    first = context[0] if isinstance(context, list) and context else context
    if first == _VC_V1:
        return None, ("the 1EdTech schemas describe VC 2.0 credentials; this one uses the "
                      "VC 1.1 context (issuanceDate/expirationDate)")  # fmt: skip
    for url, entry in shipped_schemas().items():
        if set(entry["types"]) & set(types):
            return url, ""
    return None, f"no shipped 1EdTech schema for type {types or 'none'}"


def check_schema(checks: Checks, credential: dict[str, Any]) -> None:
    """Record the `schema` check for one OB 3.0 / CLR credential."""
    record(checks, verdict(credential))


def verdict(credential: dict[str, Any]) -> tuple[Outcome, str]:
    """The `schema` check's outcome and reason for one OB 3.0 / CLR credential."""
    url, why_not = schema_for(credential)
    if url is None:
        return Outcome.NOT_CHECKED, f"skipped: {why_not}"
    name = url.rsplit("/", 1)[-1]
    errors = list(_validator(url).iter_errors(credential))
    if not errors:
        return Outcome.PASSED, f"conforms to {name}" + _unshipped(credential)
    return Outcome.FAILED, f"does not conform to {name}: {_describe(errors)}"


def record(checks: Checks, found: tuple[Outcome, str]) -> None:
    """Record a `verdict`: a schema that does not apply is skipped, not blocking."""
    outcome, reason = found
    if outcome is Outcome.PASSED:
        checks.passed(NAME, reason)
    elif outcome is Outcome.FAILED:
        checks.failed(NAME, reason)
    else:
        checks.not_checked(NAME, reason, blocking=False)


def _describe(errors: list[ValidationError]) -> str:
    """The most relevant error first (oneOf/anyOf opened to the branch that came closest),
    then others at other paths, each as `$.path: message`."""
    first = best_match(errors)
    shown, seen = [first], {first.json_path}
    for error in sorted(errors, key=relevance):
        if len(shown) >= MAX_ERRORS:
            break
        if error.json_path not in seen:
            shown.append(best_match([error]))
            seen.add(error.json_path)
    more = f" (and {len(errors) - len(shown)} more)" if len(errors) > len(shown) else ""
    return "; ".join(f"{e.json_path}: {_short(e.message)}" for e in shown) + more


def _short(message: str) -> str:
    # jsonschema repeats the offending instance in its messages, which may be large.
    return message if len(message) <= 160 else message[:157] + "..."


def _unshipped(credential: dict[str, Any]) -> str:
    named = credential.get("credentialSchema")
    entries = named if isinstance(named, list) else [named]
    ids = [e.get("id") for e in entries if isinstance(e, dict)]
    others = [i for i in ids if isinstance(i, str) and i not in shipped_schemas()]
    return f" (it also names {', '.join(others)}, not shipped, not checked)" if others else ""
