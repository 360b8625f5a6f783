#!/usr/bin/env python3
"""Audit the pinned versions of a lock file against a local folder of OSV advisories.

pip-audit needs the PyPI JSON API or the OSV service. Where neither is reachable, a checkout
of the PyPA advisory database (https://github.com/pypa/advisory-database, one OSV file per
advisory under ``vulns/<package>/``) is enough to answer the same question offline:

    python tools/audit_lock.py --advisories advisory-database/vulns requirements.lock

Every ``*.yaml``, ``*.yml`` and ``*.json`` file under ``--advisories`` is read as one OSV
advisory, whatever the layout. An advisory affects a pin when one of its ``affected``
entries names the package (ecosystem ``PyPI``, names compared after PEP 503 normalisation)
and either lists the pinned version in ``versions`` or has an ``ECOSYSTEM``/``SEMVER`` range
whose ``introduced``/``fixed``/``last_affected`` events include it (PEP 440 comparison, as
the OSV specification evaluates them). ``GIT`` ranges name commits, not releases, and are
not evaluated. Withdrawn advisories are skipped. Entries in the pre-1.0 OSV layout (a
top-level ``package`` and ``affects``), which old copies of the PyPA database still hold,
are read as their 1.x equivalent.

Exit status: 0 when no advisory affects a pinned version, 1 when one does (unless every
such advisory is named with ``--ignore-vuln``), 2 on bad input, with a message naming the
file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import InvalidRequirement, Requirement
from packaging.version import InvalidVersion, Version

ADVISORY_SUFFIXES = (".yaml", ".yml", ".json")
# OSV range types whose events are package versions; GIT ranges hold commit hashes.
VERSION_RANGES = ("ECOSYSTEM", "SEMVER")
YAML_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml when built with it


class InputError(Exception):
    """A lock file or advisory that cannot be read; the message names the file."""


@dataclass(frozen=True)
class Pin:
    name: str  # PEP 503 normalised
    version: Version
    line: int


@dataclass(frozen=True)
class Affected:
    """One ``affected`` entry of an advisory, reduced to what the audit needs."""

    name: str  # PEP 503 normalised
    events: tuple[tuple[tuple[str, str], ...], ...]  # per version range: (kind, version)
    versions: tuple[str, ...]


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    summary: str
    path: Path
    affected: tuple[Affected, ...]


@dataclass
class Finding:
    advisory: Advisory
    fixed: list[str]  # fix versions above the pin, lowest first
    ignored: bool


@dataclass
class PackageReport:
    pin: Pin
    checked: list[str] = field(default_factory=list)  # ids of advisories naming the package
    findings: list[Finding] = field(default_factory=list)


def normalise(name: str) -> str:
    """PEP 503: case, runs of '-', '_' and '.' do not distinguish project names."""
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path: Path) -> list[Pin]:
    """The ``name==version`` lines of a pip-compile style lock (hashes, comments, markers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read the lock file: {exc.strerror or exc}") from exc
    pins: list[Pin] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip().removesuffix("\\").strip()
        # Continuation lines (--hash=...), comments and pip options carry no pin.
        if not line or line.startswith("#") or raw[:1].isspace() or line.startswith("-"):
            continue
        try:
            req = Requirement(line)
        except InvalidRequirement as exc:
            raise InputError(f"{path}:{number}: not a requirement: {line!r} ({exc})") from exc
        specs = list(req.specifier)
        if len(specs) != 1 or specs[0].operator not in ("==", "===") or "*" in specs[0].version:
            raise InputError(f"{path}:{number}: {req.name} is not pinned to one version: {line!r}")
        try:
            version = Version(specs[0].version)
        except InvalidVersion as exc:
            raise InputError(
                f"{path}:{number}: {req.name}: invalid version {specs[0].version!r}"
            ) from exc
        pins.append(Pin(normalise(req.name), version, number))
    if not pins:
        raise InputError(f"{path}: no pinned requirements found")
    return pins


def _load(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            return json.loads(text)
        # Every scalar stays text: an unquoted `fixed: 1.10` must not become the float 1.1.
        return yaml.load(text, Loader=YAML_LOADER)  # BaseLoader builds no objects
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the advisory: {exc}") from exc
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InputError(f"{path}: not valid {path.suffix[1:].upper()}: {exc}") from exc


def _strings(value: object, path: Path, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(f"{path}: {what} must be a list")
    return tuple(str(item) for item in value)


def _legacy_affected(data: dict[str, Any], path: Path) -> list[Any]:
    """The pre-1.0 OSV layout: one top-level package, ranges as {introduced?, fixed?}."""
    affects = data.get("affects") or {}
    ranges = (affects.get("ranges") or []) if isinstance(affects, dict) else None
    if not isinstance(ranges, list) or not all(isinstance(r, dict) for r in ranges):
        raise InputError(f"{path}: 'affects' must be a mapping with a list of ranges")
    converted = []
    for rng in ranges:
        events: list[dict[str, Any]] = [{"introduced": rng.get("introduced", "0")}]
        if "fixed" in rng:
            events.append({"fixed": rng["fixed"]})
        converted.append({"type": rng.get("type"), "events": events})
    return [{"package": data["package"], "ranges": converted, "versions": affects.get("versions")}]


def parse_advisory(data: object, path: Path) -> Advisory | None:
    """The advisory in one OSV document, or None when it is withdrawn."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise InputError(f"{path}: not an OSV advisory (no string 'id' at the top level)")
    if data.get("withdrawn"):
        return None
    if "affected" in data:
        entries = data["affected"]
    elif "package" in data:
        entries = _legacy_affected(data, path)
    else:  # OSV allows an advisory that names no package yet
        entries = []
    if not isinstance(entries, list):
        raise InputError(f"{path}: 'affected' must be a list")
    affected: list[Affected] = []
    for entry in entries:
        package = entry.get("package") if isinstance(entry, dict) else None
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            raise InputError(f"{path}: an 'affected' entry has no package name")
        if package.get("ecosystem") != "PyPI":
            continue
        ranges = entry.get("ranges") or []
        if not isinstance(ranges, list):
            raise InputError(f"{path}: 'ranges' must be a list")
        events = []
        for rng in ranges:
            if not isinstance(rng, dict) or not isinstance(rng.get("events", []), list):
                raise InputError(f"{path}: a range is not a mapping with a list of events")
            if rng.get("type") not in VERSION_RANGES:
                continue
            kinds = []
            for event in rng.get("events", []):
                if not isinstance(event, dict) or len(event) != 1:
                    raise InputError(f"{path}: an event must have exactly one key: {event!r}")
                ((kind, value),) = event.items()
                kinds.append((str(kind), str(value)))
            events.append(tuple(kinds))
        affected.append(
            Affected(
                name=normalise(package["name"]),
                events=tuple(events),
                versions=_strings(entry.get("versions"), path, "'versions'"),
            )
        )
    return Advisory(
        id=data["id"],
        aliases=_strings(data.get("aliases"), path, "'aliases'"),
        summary=str(data.get("summary") or data.get("details") or "").strip().split("\n")[0],
        path=path,
        affected=tuple(affected),
    )


def advisory_files(root: Path) -> Iterator[Path]:
    if not root.is_dir():
        raise InputError(f"{root}: the advisories folder does not exist")
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))  # .git, .github
        for name in sorted(files):
            if name.endswith(ADVISORY_SUFFIXES):
                yield Path(folder) / name


def _version(text: str, path: Path) -> Version:
    if text == "0":  # OSV: "introduced: 0" means from the first release
        return Version("0")
    try:
        return Version(text)
    except InvalidVersion as exc:
        raise InputError(f"{path}: range event version {text!r} is not a PEP 440 version") from exc


def in_range(version: Version, events: Sequence[tuple[str, str]], path: Path) -> bool:
    """The OSV evaluation: walk the events by version; introduced opens, fixed and
    last_affected close. Sorting is stable, so events at one version keep their order."""
    ordered = sorted(
        ((kind, _version(value, path)) for kind, value in events if kind != "limit"),
        key=lambda event: event[1],
    )
    affected = False
    for kind, at in ordered:
        if kind == "introduced" and version >= at:
            affected = True
        elif (kind == "fixed" and version >= at) or (kind == "last_affected" and version > at):
            affected = False
    return affected


def listed(version: Version, versions: Iterable[str]) -> bool:
    for text in versions:
        try:
            if Version(text) == version:
                return True
        except InvalidVersion:
            if text == str(version):
                return True
    return False


def fixes_above(version: Version, entry: Affected, path: Path) -> list[str]:
    found = {
        _version(value, path)
        for events in entry.events
        for kind, value in events
        if kind == "fixed"
    }
    return [str(v) for v in sorted(found) if v > version]


def audit(pins: list[Pin], advisories: Iterable[Advisory], ignore: set[str]) -> list[PackageReport]:
    reports = [PackageReport(pin) for pin in pins]
    by_name: dict[str, list[PackageReport]] = {}
    for report in reports:
        by_name.setdefault(report.pin.name, []).append(report)
    for advisory in advisories:
        for entry in advisory.affected:
            for report in by_name.get(entry.name, []):
                version = report.pin.version
                if advisory.id not in report.checked:
                    report.checked.append(advisory.id)
                hit = listed(version, entry.versions) or any(
                    in_range(version, events, advisory.path) for events in entry.events
                )
                if hit and all(f.advisory.id != advisory.id for f in report.findings):
                    names = {advisory.id, *advisory.aliases}
                    report.findings.append(
                        Finding(
                            advisory,
                            fixes_above(version, entry, advisory.path),
                            bool(names & ignore),
                        )
                    )
    return reports


def load_advisories(root: Path) -> tuple[list[Advisory], int, int]:
    """Advisories under root, and how many files were read and how many were withdrawn."""
    advisories: list[Advisory] = []
    files = withdrawn = 0
    for path in advisory_files(root):
        files += 1
        advisory = parse_advisory(_load(path), path)
        if advisory is None:
            withdrawn += 1
        else:
            advisories.append(advisory)
    return advisories, files, withdrawn


def as_json(reports: list[PackageReport], files: int, withdrawn: int) -> dict[str, Any]:
    return {
        "advisory_files": files,
        "withdrawn_skipped": withdrawn,
        "packages": [
            {
                "name": r.pin.name,
                "version": str(r.pin.version),
                "advisories_checked": r.checked,
                "affected_by": [
                    {
                        "id": f.advisory.id,
                        "aliases": list(f.advisory.aliases),
                        "fixed_in": f.fixed,
                        "ignored": f.ignored,
                        "summary": f.advisory.summary,
                        "file": str(f.advisory.path),
                    }
                    for f in r.findings
                ],
            }
            for r in reports
        ],
    }


def as_table(reports: list[PackageReport], files: int, withdrawn: int) -> str:
    rows = [("package", "version", "advisories", "affecting the pin", "fixed in")]
    for r in reports:
        affecting = ", ".join(
            f.advisory.id + (" (ignored)" if f.ignored else "") for f in r.findings
        )
        fixed = ", ".join(f.fixed[0] if f.fixed else "no fix" for f in r.findings)
        rows.append(
            (r.pin.name, str(r.pin.version), str(len(r.checked)), affecting or "-", fixed or "-")
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    named = sum(1 for r in reports if r.checked)
    hits = sum(1 for r in reports for f in r.findings if not f.ignored)
    lines.append("")
    lines.append(
        f"{len(reports)} pinned packages; {files} advisory files read ({withdrawn} withdrawn, skipped); "
        f"{named} packages named by an advisory; advisories affecting a pinned version: {hits}"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("lock", type=Path, help="lock file with name==version lines")
    parser.add_argument("--advisories", type=Path, required=True, help="folder of OSV advisories")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--ignore-vuln",
        action="append",
        default=[],
        metavar="ID",
        help="an advisory id or alias accepted as an exception (repeatable)",
    )
    args = parser.parse_args(argv)
    try:
        pins = read_lock(args.lock)
        advisories, files, withdrawn = load_advisories(args.advisories)
        reports = audit(pins, advisories, set(args.ignore_vuln))
    except InputError as exc:
        print(f"audit_lock: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(reports, files, withdrawn), indent=2))
    else:
        print(as_table(reports, files, withdrawn))
    return 1 if any(not f.ignored for r in reports for f in r.findings) else 0


if __name__ == "__main__":
    sys.exit(main())
