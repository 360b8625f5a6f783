"""What a run keeps of its errors: the first samples, each cut to a readable length."""

from __future__ import annotations

from datetime import UTC, datetime

from credgraph.ingest.report import MAX_ERROR_SAMPLES, MAX_REASON_CHARS, RunTally


def test_a_reason_quoting_a_huge_value_is_kept_as_its_start() -> None:
    tally = RunTally("src", "run-1", datetime(2026, 12, 7, tzinfo=UTC))
    reason = f"record skipped: id {'x' * 200_000!r} is too long"
    tally.error("https://x.example/p", reason)
    [sample] = tally.samples
    assert sample.reason.startswith("record skipped: id 'xxx")
    assert len(sample.reason) < MAX_REASON_CHARS + 40
    assert sample.reason.endswith(f"… ({len(reason):,} characters)")


def test_errors_past_the_samples_are_counted() -> None:
    tally = RunTally("src", "run-1", datetime(2026, 12, 7, tzinfo=UTC))
    for n in range(MAX_ERROR_SAMPLES + 5):
        tally.error(f"https://x.example/{n}", "broken")
    assert tally.errors == MAX_ERROR_SAMPLES + 5 and len(tally.samples) == MAX_ERROR_SAMPLES


def test_a_catalogs_password_is_masked_in_the_runs_record() -> None:
    """A fetch error masks its own message; the run's record was written from the URL the
    crawl keys pages by, password and all."""
    tally = RunTally("src", "run", datetime(2026, 1, 1, tzinfo=UTC))
    tally.error(
        "https://reader:s3cret@catalog.example/page",
        "HTTP 503 for https://reader:s3cret@catalog.example/page",
    )
    [sample] = tally.samples
    assert "s3cret" not in sample.url and "s3cret" not in sample.reason
    assert sample.url == "https://reader:***@catalog.example/page"
