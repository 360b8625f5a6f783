"""A small hand-made taxonomy for the linking tests (ESCO, O*NET and one local framework)."""

from __future__ import annotations

from credgraph.link.index import TaxonomyIndex
from credgraph.model.records import Occupation, Skill

ESCO_PY = "http://data.europa.eu/esco/skill/py"
ESCO_JAVA = "http://data.europa.eu/esco/skill/java"
ESCO_JS = "http://data.europa.eu/esco/skill/js"
ESCO_ML = "http://data.europa.eu/esco/skill/ml"
ESCO_DEV = "http://data.europa.eu/esco/occupation/dev"
ASN_READING = "https://www.onetcenter.org/ctdlasn/resources/ce-reading"

SKILLS = [
    Skill(
        ESCO_PY,
        "Python (computer programming)",
        "ESCO",
        ESCO_PY,
        alt_labels=("Python", "Python programming"),
    ),
    Skill(ESCO_JAVA, "Java (computer programming)", "ESCO", ESCO_JAVA, alt_labels=("Java",)),
    Skill(ESCO_JS, "JavaScript", "ESCO", ESCO_JS),
    Skill(ESCO_ML, "machine learning", "ESCO", ESCO_ML, alt_labels=("ML",)),
    Skill("onet:2.A.1.a", "Reading Comprehension", "O*NET", code="2.A.1.a"),
    Skill("onet:2.A.2.a", "Critical Thinking", "O*NET", code="2.A.2.a"),
    Skill("onet:2.B.3.e", "Programming", "O*NET", code="2.B.3.e"),
    Skill("onet-tech:python", "Python", "O*NET"),
    Skill("onet-tech:structured query language sql", "Structured query language SQL", "O*NET"),
    Skill("onet-tech:43232110", "Spreadsheet software", "O*NET", code="43232110"),
    Skill("onet-tech:microsoft powerpoint", "Microsoft PowerPoint", "O*NET"),
    Skill("onet-tech:microsoft project", "Microsoft Project", "O*NET"),
    # O*NET's basic skills republished as CTDL-ASN: the same concept as onet:2.A.1.a
    Skill(
        ASN_READING,
        "Reading Comprehension",
        "O*NET Content Model - Basic Skills",
        ASN_READING,
        code="2.A.1.a",
        same_as=("onet:2.A.1.a",),
    ),
    Skill(
        "https://local.example/f/calc-1",
        "Calculus I",
        "Local Maths Framework",
        "https://local.example/f/calc-1",
    ),
    # issuer-local: never indexed
    Skill("label:sql", "SQL"),
]
OCCUPATIONS = [
    Occupation(
        "onet:15-1252.00",
        "Software Developers",
        "15-1252.00",
        "O*NET-SOC",
        "https://www.onetonline.org/link/summary/15-1252.00",
        alt_labels=("Software Engineer", "Applications Developer"),
    ),
    Occupation(
        "onet:29-1141.00",
        "Registered Nurses",
        "29-1141.00",
        "O*NET-SOC",
        "https://www.onetonline.org/link/summary/29-1141.00",
        alt_labels=("RN",),
    ),
    Occupation(
        ESCO_DEV,
        "software developer",
        "2512.4",
        "ESCO",
        ESCO_DEV,
        alt_labels=("software engineer", "programmer"),
    ),
    Occupation("label:innovation manager", "Innovation Manager"),
]


def index() -> TaxonomyIndex:
    return TaxonomyIndex.from_records(SKILLS, OCCUPATIONS)
