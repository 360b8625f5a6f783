from __future__ import annotations

import pytest

from credgraph.model import credential_id, issuer_id, normalise_uri, occupation_id, skill_id


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Badges.Example.org:443/b/1/", "https://badges.example.org/b/1"),
        ("https://x.example/skills#problem-solving", "https://x.example/skills#problem-solving"),
        ("https://x.example/a#", "https://x.example/a"),
        ("http://x.example:80/", "http://x.example/"),
        ("http://x.example:8080/a%7Eb", "http://x.example:8080/a~b"),
        ("https://x.example/a b", "https://x.example/a%20b"),
        ("https://x.example/list?id=42", "https://x.example/list?id=42"),
        ("https://ü.example/路径", "https://ü.example/%E8%B7%AF%E5%BE%84"),
    ],
)
def test_uri_normalisation(raw: str, expected: str) -> None:
    assert normalise_uri(raw) == expected
    assert normalise_uri(normalise_uri(raw)) == expected  # idempotent


def test_relative_uri_is_refused() -> None:
    with pytest.raises(ValueError, match="not an absolute URI"):
        normalise_uri("/badges/1")


def test_credential_id_prefers_ctid_then_uri() -> None:
    ctid = "CE-5A0C6B8E-1C1D-4D7E-9A43-7B1F3B7A0101"
    assert credential_id(ctid=ctid, uri="https://x.example/a") == ctid.lower()
    assert credential_id(ctid="not-a-ctid", uri="https://X.example/a/") == "https://x.example/a"
    assert credential_id(ctid=None, uri="urn:uuid:1234") == "urn:uuid:1234"
    with pytest.raises(ValueError):
        credential_id(ctid=None, uri=None)


def test_issuer_falls_back_to_its_name() -> None:
    assert issuer_id(ctid=None, uri=None, name="  Acme   ACADEMY ") == "issuer:acme academy"


def test_skill_and_occupation_keys() -> None:
    esco = "http://data.europa.eu/esco/skill/abc"
    assert skill_id(uri=esco, framework="ESCO", code=None, label="x") == esco
    assert skill_id(uri=None, framework="O*NET", code="2.A.1.a", label="Reading") == "onet:2.A.1.a"
    assert skill_id(uri=None, framework=None, code=None, label="Ｓｑｌ") == "label:sql"  # NFKC
    assert occupation_id(uri=None, framework="SOC", code="15-2051", label=None) == "onet:15-2051.00"
    assert (
        occupation_id(uri=None, framework=None, code="15-2051.01", label=None) == "onet:15-2051.01"
    )
    assert occupation_id(uri=None, framework="ISCO", code="2511", label=None) == "isco:2511"


def test_a_sites_root_has_two_spellings_and_other_uris_one() -> None:
    from credgraph.model.ids import uri_forms

    assert uri_forms("HTTPS://WWW.WGU.EDU") == ["https://www.wgu.edu", "https://www.wgu.edu/"]
    assert uri_forms("https://www.wgu.edu/") == ["https://www.wgu.edu/", "https://www.wgu.edu"]
    assert uri_forms("https://www.wgu.edu/?q=1") == [
        "https://www.wgu.edu/?q=1",
        "https://www.wgu.edu?q=1",
    ]
    assert uri_forms("https://www.wgu.edu/programs/") == ["https://www.wgu.edu/programs"]
