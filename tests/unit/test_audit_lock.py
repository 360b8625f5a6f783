"""tools/audit_lock.py: which OSV advisories affect the versions pinned in a lock file.

Every advisory here is written by the test itself, small and in the shapes the PyPA advisory
database uses, so each verdict below is known in advance."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.scripts import script

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tools" / "audit_lock.py"


audit_lock = script("tools/audit_lock.py")

LOCK = """\
# made by hand for the test
demo-lib==1.5.0 \\
    --hash=sha256:0000000000000000000000000000000000000000000000000000000000000000
    # via something
zope.interface==5.4.0
PyYAML==6.0.1
safe-lib==2.0.0
uvloop==0.19.0 ; sys_platform != "win32"
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


@pytest.fixture
def lock(tmp_path: Path) -> Path:
    return write(tmp_path, "requirements.lock", LOCK)


@pytest.fixture
def vulns(tmp_path: Path) -> Path:
    root = tmp_path / "vulns"
    root.mkdir()
    return root


def verdicts(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path, *extra: str
) -> tuple[int, dict[str, list[str]], dict[str, Any]]:
    """main() with --json: its exit status, the ids affecting each pin, the whole answer."""
    code = audit_lock.main([str(lock), "--advisories", str(vulns), "--json", *extra])
    report = json.loads(capsys.readouterr().out)
    hits = {p["name"]: [f["id"] for f in p["affected_by"]] for p in report["packages"]}
    return code, hits, report


def advisory(id_: str, name: str, ranges: str = "", versions: str = "", extra: str = "") -> str:
    return (
        f"id: {id_}\n{extra}affected:\n- package:\n    name: {name}\n    ecosystem: PyPI\n"
        + (f"  ranges:\n{ranges}" if ranges else "")
        + (f"  versions:\n{versions}" if versions else "")
    )


ECOSYSTEM = "  - type: ECOSYSTEM\n    events:\n"


def test_introduced_fixed_range_brackets_the_affected_versions(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    inside = ECOSYSTEM + '    - introduced: "1.0"\n    - fixed: 1.6.0\n'
    at_fix = ECOSYSTEM + '    - introduced: "0"\n    - fixed: 1.5.0\n'
    before = ECOSYSTEM + "    - introduced: 1.5.1\n    - fixed: 1.7.0\n"
    write(vulns, "demo-lib/PYSEC-1.yaml", advisory("PYSEC-1", "demo-lib", inside))
    write(vulns, "demo-lib/PYSEC-2.yaml", advisory("PYSEC-2", "demo-lib", at_fix))
    write(vulns, "demo-lib/PYSEC-3.yaml", advisory("PYSEC-3", "demo-lib", before))
    code, hits, report = verdicts(capsys, lock, vulns)
    assert code == 1
    assert hits["demo-lib"] == ["PYSEC-1"]  # 1.5.0 is the fix of PYSEC-2, before PYSEC-3
    demo = next(p for p in report["packages"] if p["name"] == "demo-lib")
    assert demo["advisories_checked"] == ["PYSEC-1", "PYSEC-2", "PYSEC-3"]
    assert demo["affected_by"][0]["fixed_in"] == ["1.6.0"]
    assert hits["safe-lib"] == []


def test_events_are_walked_in_version_order_and_can_reopen(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    # Listed out of order on purpose: fixed in 1.2, broken again in 1.4, fixed in 1.6.
    events = ECOSYSTEM + (
        '    - introduced: 1.4.0\n    - fixed: 1.6.0\n    - introduced: "0"\n    - fixed: "1.2"\n'
    )
    write(vulns, "demo-lib/PYSEC-4.yaml", advisory("PYSEC-4", "demo-lib", events))
    write(vulns, "safe-lib/PYSEC-5.yaml", advisory("PYSEC-5", "safe-lib", events))
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"], hits["safe-lib"]) == (1, ["PYSEC-4"], [])


def test_last_affected_includes_that_version_and_nothing_after(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    upto_pin = ECOSYSTEM + '    - introduced: "0"\n    - last_affected: 1.5.0\n'
    below_pin = ECOSYSTEM + '    - introduced: "0"\n    - last_affected: 1.4.9\n'
    write(vulns, "demo-lib/A.yaml", advisory("PYSEC-6", "demo-lib", upto_pin))
    write(vulns, "demo-lib/B.yaml", advisory("PYSEC-7", "demo-lib", below_pin))
    code, hits, report = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"]) == (1, ["PYSEC-6"])
    demo = next(p for p in report["packages"] if p["name"] == "demo-lib")
    assert demo["affected_by"][0]["fixed_in"] == []  # no fix known


def test_versions_list_alone_decides_when_there_is_no_range(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    write(
        vulns, "demo-lib/A.yaml", advisory("PYSEC-8", "demo-lib", versions='  - "1.4"\n  - 1.5\n')
    )
    write(
        vulns, "safe-lib/B.yaml", advisory("PYSEC-9", "safe-lib", versions="  - 1.9.0\n  - 2.0.1\n")
    )
    code, hits, _ = verdicts(capsys, lock, vulns)
    # "1.5" is the same PEP 440 version as the pinned 1.5.0.
    assert (code, hits["demo-lib"], hits["safe-lib"]) == (1, ["PYSEC-8"], [])


def test_unquoted_yaml_versions_stay_text(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    # Read as a float, 1.10 would be 1.1 and 1.5.0 would look fixed.
    ranges = ECOSYSTEM + "    - introduced: 1.0\n    - fixed: 1.10\n"
    write(vulns, "demo-lib/A.yaml", advisory("PYSEC-10", "demo-lib", ranges))
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"]) == (1, ["PYSEC-10"])


def test_withdrawn_advisories_are_skipped(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    ranges = ECOSYSTEM + '    - introduced: "0"\n'
    withdrawn = 'withdrawn: "2024-01-02T00:00:00Z"\n'
    write(vulns, "demo-lib/A.yaml", advisory("PYSEC-11", "demo-lib", ranges, extra=withdrawn))
    code, hits, report = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"]) == (0, [])
    assert (report["advisory_files"], report["withdrawn_skipped"]) == (1, 1)


def test_names_match_after_pep_503_normalisation(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    always = ECOSYSTEM + '    - introduced: "0"\n'
    write(vulns, "a/A.yaml", advisory("PYSEC-12", "Zope_Interface", always))
    write(vulns, "b/B.yaml", advisory("PYSEC-13", "pyyaml", always))
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["zope-interface"], hits["pyyaml"]) == (1, ["PYSEC-12"], ["PYSEC-13"])


def test_other_ecosystems_and_git_ranges_are_not_evaluated(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    npm = 'id: GHSA-npm\naffected:\n- package:\n    name: demo-lib\n    ecosystem: npm\n  ranges:\n  - type: SEMVER\n    events:\n    - introduced: "0"\n'
    git = '  - type: GIT\n    repo: https://example.org/demo\n    events:\n    - introduced: "0"\n    - fixed: abc123\n'
    write(vulns, "npm.yaml", npm)
    write(vulns, "demo-lib/A.yaml", advisory("PYSEC-14", "demo-lib", git))
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"]) == (0, [])


def test_json_advisories_and_semver_ranges_are_read(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    ghsa = {
        "id": "GHSA-aaaa-bbbb-cccc",
        "aliases": ["CVE-2099-1"],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "SAFE_LIB"},
                "ranges": [
                    {"type": "SEMVER", "events": [{"introduced": "2.0.0"}, {"fixed": "2.0.1"}]}
                ],
            }
        ],
    }
    write(vulns, "2099/01/GHSA-aaaa-bbbb-cccc.json", json.dumps(ghsa))
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["safe-lib"]) == (1, ["GHSA-aaaa-bbbb-cccc"])


def test_pre_1_0_osv_layout_is_read(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    legacy = """\
        id: PYSEC-15
        package:
          name: demo-lib
          ecosystem: PyPI
        affects:
          ranges:
          - type: ECOSYSTEM
            fixed: 1.5.1
        """
    write(vulns, "demo-lib/PYSEC-15.yaml", legacy)
    code, hits, _ = verdicts(capsys, lock, vulns)
    assert (code, hits["demo-lib"]) == (1, ["PYSEC-15"])


def test_an_ignored_advisory_is_reported_but_does_not_fail(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    ranges = ECOSYSTEM + '    - introduced: "0"\n'
    write(
        vulns,
        "demo-lib/A.yaml",
        advisory("PYSEC-16", "demo-lib", ranges, extra="aliases:\n- CVE-2099-2\n"),
    )
    code, hits, report = verdicts(capsys, lock, vulns, "--ignore-vuln", "CVE-2099-2")
    assert (code, hits["demo-lib"]) == (0, ["PYSEC-16"])
    demo = next(p for p in report["packages"] if p["name"] == "demo-lib")
    assert demo["affected_by"][0]["ignored"] is True


def test_a_malformed_advisory_exits_2_naming_the_file(
    capsys: pytest.CaptureFixture[str], lock: Path, vulns: Path
) -> None:
    bad = write(vulns, "demo-lib/BROKEN.yaml", "id: PYSEC-17\naffected: [\n")
    assert audit_lock.main([str(lock), "--advisories", str(vulns)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "not valid YAML" in err

    bad.write_text("- just\n- a list\n")
    assert audit_lock.main([str(lock), "--advisories", str(vulns)]) == 2
    assert f"{bad}: not an OSV advisory" in capsys.readouterr().err


def test_bad_lock_lines_and_missing_inputs_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, vulns: Path
) -> None:
    loose = write(tmp_path, "loose.lock", "demo-lib>=1.0\n")
    assert audit_lock.main([str(loose), "--advisories", str(vulns)]) == 2
    assert f"{loose}:1: demo-lib is not pinned to one version" in capsys.readouterr().err

    missing = tmp_path / "nowhere"
    assert audit_lock.main([str(loose), "--advisories", str(missing)]) == 2
    assert str(loose) in capsys.readouterr().err  # the lock is read first

    good = write(tmp_path, "good.lock", "demo-lib==1.0\n")
    assert audit_lock.main([str(good), "--advisories", str(missing)]) == 2
    assert f"{missing}: the advisories folder does not exist" in capsys.readouterr().err


def test_the_project_lock_parses() -> None:
    pins = {pin.name: str(pin.version) for pin in audit_lock.read_lock(ROOT / "requirements.lock")}
    assert "pyyaml" in pins and "uvloop" in pins  # PyYAML normalised; a pin with a marker
    assert all(version[0].isdigit() for version in pins.values())


def test_the_script_runs_as_a_command_with_a_table(lock: Path, vulns: Path) -> None:
    ranges = ECOSYSTEM + '    - introduced: "0"\n    - fixed: 2.0.0\n'
    write(vulns, "demo-lib/A.yaml", advisory("PYSEC-18", "demo-lib", ranges))
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--advisories", str(vulns), str(lock)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("demo-lib"))
    assert row.split() == ["demo-lib", "1.5.0", "1", "PYSEC-18", "2.0.0"]
    assert "advisories affecting a pinned version: 1" in done.stdout
