"""Realistic catalogs for crawl tests, written for these tests (Open Badges 2.0 listings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.crawl.server import Route

ISSUER = {
    "@context": "https://w3id.org/openbadges/v2",
    "type": "Issuer",
    "id": "{base}/issuer",
    "name": "Acme Skills Academy",
    "url": "https://acme.example",
    "email": "badges@acme.example",
    "description": "Short courses in data and cloud.",
}


def badge(
    n: int,
    name: str | None,
    *,
    skills: list[str] | None = None,
    onet: str | None = None,
    price: str | None = None,
) -> dict[str, Any]:
    alignment: list[dict[str, str]] = [
        {
            "targetName": s,
            "targetUrl": f"http://data.europa.eu/esco/skill/{s.lower().replace(' ', '-')}",
            "targetFramework": "ESCO",
        }
        for s in (skills or [])
    ]
    if onet:
        alignment.append(
            {
                "targetName": "Data Scientists",
                "targetCode": onet,
                "targetFramework": "O*NET-SOC",
                "targetUrl": f"https://www.onetonline.org/link/summary/{onet}",
            }
        )
    doc: dict[str, Any] = {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "BadgeClass",
        "id": f"{{base}}/badges/{n}",
        "description": f"<p>Badge number {n}: practical <b>skills</b> assessed by a project.</p>",
        "image": f"{{base}}/badges/{n}/image.png",
        "criteria": {"narrative": "Complete the project and pass the review."},
        "issuer": "{base}/issuer",
        "alignment": alignment,
        "tags": ["data"],
    }
    if name is not None:
        doc["name"] = name
    return doc


def page(badges: list[dict[str, Any]], next_path: str | None, base: str) -> str:
    body: dict[str, Any] = {"badges": badges}
    if next_path:
        body["next"] = base + next_path
    return json.dumps(body).replace("{base}", base)


def acme_pages(base: str) -> dict[str, str]:
    """Three pages: the second has a record without a name and repeats an id from page 1;
    the third links back to the first."""
    return {
        "/badges?page=1": page(
            [
                badge(1, "SQL Foundations", skills=["SQL"], onet="15-2051.00"),
                badge(2, "Python for Data", skills=["Python", "Statistics"]),
                badge(3, "Cloud Basics", skills=["Cloud computing"]),
            ],
            "/badges?page=2",
            base,
        ),
        "/badges?page=2": page(
            [
                badge(4, "Data Visualisation", skills=["Visualise data"]),
                badge(5, None, skills=["SQL"]),
                badge(1, "SQL Foundations", skills=["SQL"], onet="15-2051.00"),
            ],
            "/badges?page=3",
            base,
        ),
        "/badges?page=3": page(
            [
                badge(6, "Zürich Data Ethics ✓", skills=["Data ethics"]),
            ],
            "/badges?page=1",
            base,
        ),
        "/issuer": json.dumps(ISSUER).replace("{base}", base),
    }


ESCO_FOLDER = Path(__file__).resolve().parents[1] / "fixtures" / "esco"


def esco_routes(prefix: str = "/esco/") -> dict[str, Route]:
    """The sample ESCO release served as a folder of CSV files under `prefix`."""
    return {
        f"{prefix}{p.name}": Route(p.read_bytes(), content_type="text/csv")
        for p in ESCO_FOLDER.iterdir()
        if p.is_file()
    }
