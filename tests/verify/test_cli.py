"""`credgraph verify` on the command line: a file or URL in, the verdict and every check out;
exit 0 only when VALID."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credgraph.cli.main import main
from tests.verify.bombs import poison_graph
from tests.verify.helpers import OB3_SIGNED, did_key, ob3_credential, real, sign_data_integrity

pytestmark = pytest.mark.slow  # processes

KEY = Ed25519PrivateKey.generate()


def test_a_valid_file_exits_zero_and_a_forged_one_one(tmp_path: Path) -> None:
    signed = sign_data_integrity(ob3_credential(did_key(KEY)), KEY)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(signed))
    signed["credentialSubject"]["id"] = "did:example:someone-else"
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(signed))
    valid = CliRunner().invoke(main, ["verify", str(good)])
    assert valid.exit_code == 0, valid.output
    assert "VALID" in valid.output and "signature" in valid.output
    invalid = CliRunner().invoke(main, ["verify", str(forged), "--json"])
    assert invalid.exit_code == 1
    body = json.loads(invalid.output)
    assert body["status"] == "INVALID"
    assert any(c["name"] == "signature" and c["outcome"] == "FAILED" for c in body["checks"])


def test_the_real_sample_offline_and_bad_input(tmp_path: Path) -> None:
    sample = tmp_path / "sample.json"
    sample.write_text(json.dumps(real(OB3_SIGNED)))
    offline = CliRunner().invoke(main, ["verify", str(sample)])
    assert offline.exit_code == 1 and "UNVERIFIABLE" in offline.output
    missing = CliRunner().invoke(main, ["verify", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "error" in missing.output
    junk = tmp_path / "junk.txt"
    junk.write_text("not a badge")
    bad = CliRunner().invoke(main, ["verify", str(junk)])
    assert bad.exit_code == 2 and "error" in bad.output


def test_a_file_that_is_not_utf8_is_bad_input_and_a_byte_order_mark_is_read(
    tmp_path: Path,
) -> None:
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "Café"}'.encode("latin-1"))
    refused = CliRunner().invoke(main, ["verify", str(latin1)])
    assert refused.exit_code == 2, refused.output
    assert "is not UTF-8 text (byte 13" in refused.output
    signed = sign_data_integrity(ob3_credential(did_key(KEY)), KEY)
    marked = tmp_path / "bom.json"
    marked.write_bytes(b"\xef\xbb\xbf" + json.dumps(signed).encode())
    read = CliRunner().invoke(main, ["verify", str(marked)])
    assert read.exit_code == 0, read.output


def test_a_poison_graph_is_unverifiable_and_the_command_exits_promptly(tmp_path: Path) -> None:
    poison = tmp_path / "poison.json"
    poison.write_text(json.dumps(poison_graph(8)))
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", "from credgraph.cli.main import main; main()",
         "verify", str(poison), "--json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # Answered at the deadline, and the command ends then: the killed worker does not run
    # on for its minute, and the pool stops with the command. The bound is half that minute,
    # so a busy machine's slow start-up cannot fail it while a worker left running would.
    assert time.monotonic() - started < 30.0, done.stderr
    assert done.returncode == 1, done.stderr
    body = json.loads(done.stdout)
    assert body["status"] == "UNVERIFIABLE"
    assert body["reason"].startswith("signature: canonicalisation took longer than"), body


def test_a_host_that_does_not_resolve_is_a_dns_failure_not_a_robots_refusal(
    tmp_path: Path,
) -> None:
    out = CliRunner().invoke(
        main,
        [
            "verify",
            "https://no-such-host.invalid/assertions/1",
            "--json",
            "--store",
            f"sqlite:///{tmp_path / 'g.db'}",
        ],
    )
    assert out.exit_code == 1, out.output
    body = json.loads(out.output)
    assert body["status"] == "UNVERIFIABLE"
    reasons = " ".join(c["reason"] for c in body["checks"])
    assert "DNS failure: cannot resolve no-such-host.invalid" in reasons, reasons
    assert "RFC 9309" not in reasons and "not crawled" not in reasons
