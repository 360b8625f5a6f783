from __future__ import annotations

import re
from pathlib import Path

import pytest

from credgraph.config import load_config, parse_config
from credgraph.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_example_is_valid_once_its_placeholders_are_filled_in() -> None:
    config = load_config(ROOT / "sources.example.toml", placeholders=True)
    assert {s.format for s in config.sources} == {
        "ctdl",
        "credly",
        "coursera",
        "schemaorg",
        "openbadges",
        "case",
        "onet",
        "esco",
        "jobposting",
    }
    assert config.crawler.per_host_concurrency == 1
    assert not config.crawler.allow_private_networks
    assert all(s.licence for s in config.sources)  # every source notes its terms


def test_the_examples_placeholders_fail_validation_saying_what_to_fill_in() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(ROOT / "sources.example.toml")
    problems = caught.value.problems
    assert problems and all("still holds a placeholder: fill in" in p for p in problems), problems
    assert any(
        "url: 'https://api.badgr.io/public/issuers/ISSUER_ENTITY_ID/badges' still holds "
        "a placeholder: fill in ISSUER_ENTITY_ID (the issuer entity id)" in p
        for p in problems
    ), problems
    assert any("ESCO_RELEASE_HOST (the esco release host)" in p for p in problems), problems
    # Filled in, the same entry loads.
    text = (ROOT / "sources.example.toml").read_text(encoding="utf-8")
    filled = re.sub(r'(url = "[^"]*)\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+', r"\1filled-in", text)
    assert len(parse_config(filled).sources) == len(
        load_config(ROOT / "sources.example.toml", placeholders=True).sources
    )


def test_defaults_protect_people() -> None:
    config = parse_config('[[source]]\nid = "a"\nformat = "ctdl"\nurl = "https://x.example/a"\n')
    c = config.crawler
    assert (c.per_host_concurrency, c.delay_seconds, c.allow_private_networks) == (1, 1.0, False)
    assert c.max_response_bytes == 20 * 1024 * 1024
    assert "credgraph" in c.user_agent
    assert config.sources[0].urls == ("https://x.example/a",)


def test_every_problem_is_reported_with_file_line_and_key() -> None:
    text = """
[crawler]
delay_seconds = "slow"
bogus = 1

[[source]]
id = "a"
format = "openbadges"
url = "https://x.example/b"
every = "6 hours"

[[source]]
id = "a"
format = "rss"
url = "ftp://x.example"
schedule = "61 * * * *"
colour = "red"

[[source]]
id = "Bad Id!"
format = "ctdl"
"""
    expected = [
        "sources.toml:3: [crawler] delay_seconds: must be int or float",
        "sources.toml:4: [crawler] bogus: unknown key",
        "sources.toml:10: [[source]] #1 every: '6 hours' is not an interval",
        "sources.toml:13: [[source]] #2 id: duplicate id 'a'",
        "sources.toml:14: [[source]] #2 format: unknown format 'rss'",
        "sources.toml:15: [[source]] #2 url: 'ftp://x.example' is not an absolute http(s) URL",
        "sources.toml:16: [[source]] #2 schedule: '61 * * * *': minute value '61' is outside 0-59",
        "sources.toml:17: [[source]] #2 colour: unknown key",
        "sources.toml:20: [[source]] #3 id: 'Bad Id!' must be lower-case",
        "sources.toml:19: [[source]] #3 url: missing",
    ]
    assert_problems(text, expected)


def assert_problems(text: str, expected: list[str]) -> None:
    """`text` is refused with exactly these problems, each as the start of one."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "sources.toml")
    problems = caught.value.problems
    for start in expected:
        assert any(p.startswith(start) for p in problems), (start, problems)
    assert len(problems) == len(expected)


def test_counts_that_cannot_be_zero_and_urls_that_are_no_list_are_named() -> None:
    text = """
[crawler]  # a comment after a header
timeout_seconds = 0
max_pages = 0

[[source]]   # Credly
id = "a"
format = "openbadges"
urls = "https://x.example/b"
every = "6 hours"
"""
    expected = [
        "sources.toml:3: [crawler] timeout_seconds: must be above 0",
        "sources.toml:4: [crawler] max_pages: must be at least 1",
        "sources.toml:9: [[source]] #1 urls: must be a list of URLs, got 'https://x.example/b'",
        "sources.toml:10: [[source]] #1 every: '6 hours' is not an interval",
    ]
    assert_problems(text, expected)


def test_toml_syntax_errors_name_the_file() -> None:
    with pytest.raises(ConfigError, match=r"sources\.toml: not valid TOML"):
        parse_config("[[source]\nid=", "sources.toml")


@pytest.mark.parametrize(
    ("schedule", "ok"),
    [
        ("0 3 * * *", True),
        ("*/15 * * * mon-fri", True),
        ("0 0 1 jan *", True),
        ("* * *", False),
        ("0 24 * * *", False),
        ("*/0 * * * *", False),
        ("0 3 * * funday", False),
        ("30 5-1 * * *", False),
        ("0 0 20-10 * *", False),
        ("0 0 29 2 *", True),  # leap years
        ("0 0 30 2 *", False),  # never fires
        ("0 0 31 4 *", False),
        ("\u00b2 * * * *", False),  # a superscript two: str.isdigit, but no number to int()
        ("*/\u00b2 * * * *", False),
        ("0 0 * * \u0661", False),  # an Arabic-Indic one
    ],
)
def test_cron_schedules(schedule: str, ok: bool) -> None:
    text = f'[[source]]\nid = "a"\nformat = "ctdl"\nurl = "https://x.example"\nschedule = "{schedule}"\n'
    if ok:
        assert parse_config(text).sources[0].schedule == schedule
    else:
        with pytest.raises(ConfigError, match="schedule"):
            parse_config(text)


def test_a_schedule_that_loads_is_one_the_scheduler_can_fire() -> None:
    from credgraph.schedule.triggers import next_fire

    text = '[[source]]\nid = "a"\nformat = "ctdl"\nurl = "https://x.example"\nschedule = "{}"\n'
    with pytest.raises(ConfigError, match=r"schedule: '30 5-1 \* \* \*': .*minimum value"):
        parse_config(text.format("30 5-1 * * *"))
    # a backwards weekday range is classic cron (it wraps round Sunday): accepted and fired
    [source] = parse_config(text.format("0 6 * * 6-1")).sources
    from datetime import UTC, datetime

    assert next_fire(source, datetime(2026, 3, 3, tzinfo=UTC)).weekday() == 5  # Saturday


def test_unknown_source_id_is_named() -> None:
    config = parse_config(
        '[[source]]\nid = "a"\nformat = "ctdl"\nurl = "https://x.example"\n', "s.toml"
    )
    with pytest.raises(ConfigError, match="no source with id 'b' \\(known: a\\)"):
        config.source("b")


@pytest.mark.parametrize(
    ("every", "ok"),
    [("366d", True), ("367d", False), ("3000000d", False), ("99999999999999999999d", False),
     ("\u00b2d", False), ("\u0661d", False), (" 6h ", True), ("6h x", False)],
)  # fmt: skip
def test_intervals_are_a_year_at_most_in_ascii_digits(every: str, ok: bool) -> None:
    text = f'[[source]]\nid = "a"\nformat = "ctdl"\nurl = "https://x.example"\nevery = "{every}"\n'
    if ok:
        assert parse_config(text).sources[0].every == every
    else:
        with pytest.raises(ConfigError, match=r"every: .* is not an interval"):
            parse_config(text)


def test_a_source_id_ending_in_a_line_break_is_refused() -> None:
    text = '[[source]]\nid = "abc\\n"\nformat = "ctdl"\nurl = "https://x.example"\n'
    with pytest.raises(ConfigError, match="id"):
        parse_config(text)
