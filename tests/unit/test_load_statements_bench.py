"""bench/load_statements.py times the bulk load's statements: it names the credentials' own
statements with their cost per credential, the load's end and the bytes written."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.scripts import ROOT


def test_a_small_load_prints_its_statements_and_totals() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_statements.py"), "--scale", "0.01"],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    out = done.stdout
    assert out.startswith("1,000 credentials"), out
    assert re.search(r"store calls [\d.]+ s \(in upsert_credentials [\d.]+ s\)", out), out
    assert re.search(r"the load's end [\d.]+ s; load [\d.]+ s", out), out
    timed = re.findall(r"([\d.]+) us a credential  (.+)", out)
    statements = {" ".join(name.split()[:4]) for _, name in timed}
    assert "INSERT INTO credentials (rowid," in statements, out
    assert "INSERT INTO credentials_fts (rowid," in statements, out
    assert "INSERT INTO staged_edges (src," in statements, out  # the load ran as a bulk load
