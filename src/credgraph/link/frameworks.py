"""Framework names as issuers write them, folded to one family key per taxonomy.

Names are compared case- and punctuation-blind. The O*NET family covers O*NET, O*NET-SOC,
ONET, onetcenter.org / onetonline.org and the SOC names CTDL uses for O*NET-SOC codes
("Standard Occupational Classification", bls.gov/soc); the ESCO family covers ESCO with any
version, its long name and its data.europa.eu URIs. Any other framework keys on its folded
name, so two issuers naming the same local framework still meet.

>>> framework_family("O*NET-SOC") == framework_family("onetcenter") == "onet"
True
>>> framework_family("European Skills/Competences, Qualifications and Occupations")
'esco'
>>> framework_family("ESCO v1.2.0")
'esco'
>>> framework_family("Safety Trained Supervisor (STS)")
'safetytrainedsupervisorsts'
"""

from __future__ import annotations

import re

from credgraph.model.ids import normalise_label

ONET = "onet"
ESCO = "esco"

_FOLD = re.compile(r"[^a-z0-9]+")
# (family, patterns over the folded name): a name matching any pattern is that family
_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        ONET,
        re.compile(
            r"^(onet|ostarnet)|onetcenter|onetonline|^standardoccupationalclass"
            r"|^soc(\d{4})?$|^\d{4}soc$|blsgovsoc"
        ),
    ),
    (
        ESCO,
        re.compile(
            r"^esco|europeanskillscompetencesqualificationsandoccupations"
            r"|dataeuropaeuesco|escoeceuropaeu"
        ),
    ),
)


def fold(name: str) -> str:
    """Lower case, letters and digits only ("O*NET" -> "onet")."""
    return _FOLD.sub("", normalise_label(name).replace("*", ""))


def framework_family(name: str | None) -> str | None:
    """The family key of a framework name or URI; None for an empty name."""
    if not name or not name.strip():
        return None
    folded = fold(name)
    if not folded:
        return None
    for family, pattern in _FAMILIES:
        if pattern.search(folded):
            return family
    return folded


def family_of_uri(uri: str | None) -> str | None:
    """The family a concept URI belongs to, when its host says so."""
    if not uri:
        return None
    lowered = uri.lower()
    if "data.europa.eu/esco/" in lowered:
        return ESCO
    if "onetonline.org" in lowered or "onetcenter.org" in lowered:
        return ONET
    return None
