"""A VerificationResult as JSON (what `POST /verify` answers)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from credgraph.model.records import Credential, Issuer
from credgraph.verify.result import Achievement, VerificationResult


def _date(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _issuer(issuer: Issuer | None) -> dict[str, Any] | None:
    if issuer is None:
        return None
    return {"id": issuer.id, "name": issuer.name, "url": issuer.url, "country": issuer.country}


def _definition(credential: Credential) -> dict[str, Any]:
    return {
        "id": credential.id,
        "name": credential.name,
        "type": credential.type.value,
        "description": credential.description,
        "url": credential.url,
        "issuer": _issuer(credential.issuer),
        "criteria": credential.criteria,
        "durationHours": credential.duration_hours,
        "credits": {"value": credential.credits.value, "unit": credential.credits.unit}
        if credential.credits else None,
        "skills": [{"id": s.skill.id, "name": s.skill.name, "framework": s.skill.framework,
                    "method": s.method, "confidence": s.confidence} for s in credential.skills],
        "occupations": [{"id": o.occupation.id, "name": o.occupation.name,
                         "code": o.occupation.code, "method": o.method,
                         "confidence": o.confidence} for o in credential.occupations],
    }  # fmt: skip


def _achievement(achievement: Achievement) -> dict[str, Any]:
    t = achievement.transparency
    return {
        "definition": _definition(achievement.definition),
        "credentialId": achievement.stored.id if achievement.stored else None,
        "ingested": achievement.ingested,
        "transparency": {"score": t.score, "present": list(t.present), "missing": list(t.missing)},
    }


def result_json(result: VerificationResult, identity: str | None = None) -> dict[str, Any]:
    recipient = result.recipient
    body: dict[str, Any] = {
        "status": result.status.value,
        "reason": result.reason(),
        "kind": result.kind,
        "checks": [{"name": c.name, "outcome": c.outcome.value, "reason": c.reason}
                   for c in result.checks],
        "credentialId": result.credential_id,
        "recipient": None if recipient is None else {
            "type": recipient.type, "identity": recipient.identity,
            "hashed": recipient.hashed, "salt": recipient.salt,
        },
        "issuedOn": _date(result.issued_on),
        "expires": _date(result.expires),
        "issuer": _issuer(result.issuer),
        "achievements": [_achievement(a) for a in result.achievements],
    }  # fmt: skip
    if identity is not None:
        body["matchesRecipient"] = result.matches_recipient(identity)
    return body
