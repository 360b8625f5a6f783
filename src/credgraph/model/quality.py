"""The evidence of a credential's quality employers ask for, apart from the transparency score
(which measures what is disclosed, not what is assured): who quality-assures it and how, how
it is assessed, and whether outcomes for holders are reported and by whom.

Signals, each present or not, with where the evidence comes from:

* accredited / recognized / regulated / approved: a QA body in that relation (source: its name);
* assessment stated: the credential says how it is assessed;
* outcomes reported: at least one outcome is published (source: the outcome's source);
* earnings reported, employment rate reported: those kinds in particular.
"""

from __future__ import annotations

from dataclasses import dataclass

from credgraph.model.records import Credential
from credgraph.model.stacking import OutcomeKind, QARelation, QualityAssurance


@dataclass(frozen=True, slots=True)
class QualitySignal:
    signal: str
    present: bool
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Quality:
    assurance: tuple[QualityAssurance, ...]
    assessment: str | None
    outcomes_reported: bool
    outcomes_reported_by: tuple[str, ...]
    signals: tuple[QualitySignal, ...]


def quality_of(c: Credential) -> Quality:
    assurance = c.quality_assurance or tuple(
        QualityAssurance(QARelation.ACCREDITED, a.id, a.name) for a in c.accredited_by
    )
    signals = []
    for relation in QARelation:
        bodies = [q.name for q in assurance if q.relation is relation]
        signals.append(
            QualitySignal(relation.value.lower(), bool(bodies), ", ".join(bodies) or None)
        )
    signals.append(QualitySignal("assessment stated", bool(c.assessment), c.assessment))
    by = tuple(dict.fromkeys(o.source for o in c.outcomes if o.source))
    signals.append(QualitySignal("outcomes reported", bool(c.outcomes), ", ".join(by) or None))
    for kind, name in (
        (OutcomeKind.MEDIAN_EARNINGS, "earnings reported"),
        (OutcomeKind.EMPLOYMENT_RATE, "employment rate reported"),
    ):
        sources = [o.source for o in c.outcomes if o.kind is kind]
        signals.append(
            QualitySignal(
                name, bool(sources), ", ".join(dict.fromkeys(s for s in sources if s)) or None
            )
        )
    return Quality(assurance, c.assessment, bool(c.outcomes), by, tuple(signals))
