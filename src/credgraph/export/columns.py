"""The attributes an export carries, with their types: one fixed table, so that formats that
declare their columns up front (GraphML keys, CSV headers) can stream, and so that the same
column means the same thing in every export. A test checks the stores produce nothing else.

Types are GraphML's (string, double, boolean), and `list`: a list of strings, written as a
JSON array where the format has arrays (NDJSON, node-link, JSON-LD) and as one string where
it has not (CSV, GraphML, whose key says string): the items joined with "|", a "|" or "\\"
inside an item escaped with a backslash ("C\\|C++|Java" is ["C|C++", "Java"]). Splitting on
"|" still reads a list whose items hold no "|" or "\\"; `split_joined` reads every list.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from credgraph.model.values import EdgeType, NodeKind

STRING, DOUBLE, BOOLEAN, LIST = "string", "double", "boolean", "list"

_COMMON = {
    "name": STRING,
    "description": STRING,
    "first_seen": STRING,
    "updated_at": STRING,
}
_PROVENANCE = {"source_id": STRING, "source_url": STRING, "fetched_at": STRING}

NODE_PROPERTIES: dict[NodeKind, dict[str, str]] = {
    NodeKind.ISSUER: {
        **_COMMON,
        "url": STRING,
        "ctid": STRING,
        "country": STRING,
        "email": STRING,
        "alternate_names": LIST,
        **_PROVENANCE,
    },
    NodeKind.CREDENTIAL: {
        **_COMMON,
        "type": STRING,
        "ctid": STRING,
        "url": STRING,
        "language": STRING,
        "duration_hours": DOUBLE,
        "credits_value": DOUBLE,
        "credits_unit": STRING,
        "level": STRING,
        "assessment": STRING,
        "delivery_mode": STRING,
        "cost_amount": DOUBLE,
        "cost_currency": STRING,
        "prerequisites": STRING,
        "requires": LIST,
        "part_of": LIST,
        "has_part": LIST,
        "validity": STRING,
        "criteria": STRING,
        "keywords": LIST,
        "alternate_names": LIST,
        "prepares_for": LIST,
        "prepared_by": LIST,
        "outcome_median_earnings": DOUBLE,
        "outcome_median_earnings_currency": STRING,
        "outcome_median_earnings_months": DOUBLE,
        "outcome_employment_rate": DOUBLE,
        "outcome_employment_rate_months": DOUBLE,
        "outcome_awarded": DOUBLE,
        "outcome_awarded_months": DOUBLE,
        "outcome_completion_rate": DOUBLE,
        "outcome_completion_rate_months": DOUBLE,
        "quality_assurance": LIST,
        "transparency": DOUBLE,
        "stale": BOOLEAN,
        "last_seen": STRING,
        **_PROVENANCE,
    },
    NodeKind.SKILL: {
        **_COMMON,
        "framework": STRING,
        "uri": STRING,
        "code": STRING,
        "alt_labels": LIST,
        "broader": LIST,
        "same_as": LIST,
        **_PROVENANCE,
    },
    NodeKind.OCCUPATION: {
        **_COMMON,
        "framework": STRING,
        "uri": STRING,
        "code": STRING,
        "alt_labels": LIST,
        **_PROVENANCE,
    },
}

# Every node attribute, in a stable order (the union over kinds, first seen first).
NODE_COLUMNS: dict[str, str] = {}
for _table in NODE_PROPERTIES.values():
    for _name, _type in _table.items():
        NODE_COLUMNS.setdefault(_name, _type)

EDGE_COLUMNS: dict[str, str] = {
    "method": STRING,  # how a credential's skill or occupation link was made
    "confidence": DOUBLE,
    "relation": STRING,  # essential / optional, on REQUIRES_SKILL
    "importance": DOUBLE,
    "credits_value": DOUBLE,  # credit an ADVANCED_STANDING link grants
    "credits_unit": STRING,
    "description": STRING,
    "pathway": STRING,  # the published pathway a PUBLISHED_PATHWAY link belongs to
}

GRAPH_EDGE_TYPES = tuple(t for t in EdgeType if t is not EdgeType.FROM_SOURCE)


def edge_label(edge_type: EdgeType) -> str:
    """The relationship name exports write: a credential preparing for another credential is
    PREPARES_FOR, like preparing for an occupation (the ends tell them apart)."""
    if edge_type is EdgeType.PREPARES_FOR_CREDENTIAL:
        return EdgeType.PREPARES_FOR.value
    return edge_type.value


def kind_name(kind: NodeKind) -> str:
    """'issuer', 'credential', 'skill', 'occupation': the `kind` value exports write."""
    return kind.value.lower()


def graphml_type(type_: str) -> str:
    """The GraphML `attr.type` of a column: a list is written as one string."""
    return STRING if type_ == LIST else type_


def joined(items: Sequence[str]) -> str:
    """A list as one string (CSV, GraphML): "|" between items, "|" and "\\" in them escaped."""
    return "|".join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_joined(text: str) -> list[str]:
    """The items of a `joined` list (what a reader of a CSV or GraphML export runs)."""
    if not text:
        return []
    items: list[str] = []
    item: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            item.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            items.append("".join(item))
            item = []
        else:
            item.append(char)
    items.append("".join(item))
    return items


def typed(value: Any, type_: str) -> Any:
    """`value` as the column's type, or None when it cannot be (never raises: a stray value
    in a document must not end an export)."""
    if value is None:
        return None
    if type_ == DOUBLE:
        if isinstance(value, bool):
            return None
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None
        return number if number == number and abs(number) != float("inf") else None
    if type_ == BOOLEAN:
        return value if isinstance(value, bool) else None
    if type_ == LIST:
        items = value if isinstance(value, list | tuple) else [value]
        return tuple(i if isinstance(i, str) else str(i) for i in items) or None
    return value if isinstance(value, str) else str(value)
