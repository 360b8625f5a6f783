"""CTDL credentials and learning opportunities -> `Credential` records.

Choices, where CTDL allows more than one reading:

* Subjects: every `ceterms:` credential class (BachelorDegree ... OpenBadge, MicroCredential,
  and any class named ...Degree/Certificate/Credential/Badge/License/Diploma), plus
  LearningProgram, Course and LearningOpportunityProfile (type COURSE). Blank-node subjects
  without a CTID are references inside another resource, not records, and are skipped.
* Issuer: the first owner (`ownedBy`), else offerer (`offeredBy`); see `ctdl.orgs`.
* Cost: the CostProfile whose `directCostType` is AggregateCost when there is one (it is the
  publisher's own total), else the first profile with a price. Profiles are never summed:
  several profiles are as often alternatives (in-state/out-of-state tuition) as parts.
  Currency names such as "US Dollar" (older registry data) are read as ISO codes.
* Duration: see `ctdl.duration` (exactDuration, a minimum/maximum range, timeRequired), in
  study hours by the convention of formats.durations; `duration_hours` is its upper bound.
* `requires` and `entryCondition` targetCredential/targetLearningOpportunity -> `requires`
  ids; their narratives (name: description, conditions) -> `prerequisites`, with
  `corequisite` and `recommends` narratives prefixed "Corequisite:"/"Recommended:".
* Referenced credentials are named by the CTID of the node in the graph, else the CTID in the
  URI, else the normalised URI.
* level, delivery_mode, assessment: the labels of audienceLevelType; learningDeliveryType and
  deliveryType; assessmentMethodType then assessmentDeliveryType, joined with ", ".
* Stacking links (isPreparationFor, advanced standing...) are read in `ctdl.stacking`;
  outcomes (aggregateData) and the QA relations in `ctdl.outcomes`.
* A credentialStatusType/lifeCycleStatusType other than Active (Deprecated, Suspended,
  Ceased...) keeps the record and adds a warning.
"""

from __future__ import annotations

from typing import Any

from credgraph.formats.alternate_names import alternate_names
from credgraph.formats.ctdl.align import keywords, occupation_links, skill_links
from credgraph.formats.ctdl.duration import estimated_duration
from credgraph.formats.ctdl.nodes import (
    MAX_URI,
    Context,
    as_list,
    concept_key,
    concept_labels,
    ctid_in,
    ctid_of,
    is_bnode,
    label,
    local_name,
    prop,
    ref_of,
    text,
    texts,
    uri_key,
    uri_text,
)
from credgraph.formats.ctdl.orgs import accreditors, owner
from credgraph.formats.ctdl.outcomes import currency_code, outcomes, quality_assurance
from credgraph.formats.ctdl.stacking import advanced_standing, preparation, profile_credits
from credgraph.formats.links import one_link_per_target
from credgraph.formats.normalise import (
    credential_type,
    credits,
    language,
    money,
)
from credgraph.model.ids import credential_id, normalise_text
from credgraph.model.records import Credential
from credgraph.model.values import Credits, Money

CREDENTIAL_CLASSES = frozenset(
    {
        "ApprenticeshipCertificate",
        "AssociateDegree",
        "AssociateOfAppliedArtsDegree",
        "AssociateOfAppliedScienceDegree",
        "AssociateOfArtsDegree",
        "AssociateOfScienceDegree",
        "BachelorDegree",
        "BachelorOfArtsDegree",
        "BachelorOfScienceDegree",
        "Badge",
        "BasicTechnicalCertificate",
        "Certificate",
        "CertificateOfCompletion",
        "CertificateOfParticipation",
        "Certification",
        "Credential",
        "Degree",
        "DigitalBadge",
        "Diploma",
        "DoctoralDegree",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "License",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "OpenBadge",
        "ProfessionalCertificate",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
        "SpecialistDegree",
    }
)
LEARNING_CLASSES = frozenset({"LearningProgram", "Course", "LearningOpportunityProfile"})
_SUFFIXES = (
    "Degree",
    "Certificate",
    "Certification",
    "Credential",
    "Diploma",
    "Badge",
    "License",
    "Licence",
    "Doctorate",
)
_CTDL_TYPE = ("ceterms:", "http://purl.org/ctdl/terms/")
_INACTIVE = frozenset({"Deprecated", "Suspended", "Ceased", "Probationary", "Revoked"})
_GENERIC_NAMES = frozenset({"requires", "requirements", "recommends", "recommendations"})
_CONDITIONS = (
    ("requires", ""),
    ("entryCondition", ""),
    ("corequisite", "Corequisite: "),
    ("recommends", "Recommended: "),
)


def is_credential(node: dict[str, Any]) -> bool:
    for raw in as_list(node.get("@type")):
        if isinstance(raw, str) and raw.startswith(_CTDL_TYPE):
            name = local_name(raw)
            if name in CREDENTIAL_CLASSES or name in LEARNING_CLASSES or name.endswith(_SUFFIXES):
                return True
    return False


def credential_from_node(ctx: Context, node: dict[str, Any]) -> Credential | None:
    """A credential record, or None (with a warning) when it has no name or no identity."""
    ref = ref_of(node)
    uri = ref if ref and ref.startswith(("http://", "https://")) else None
    # a CTID in an id of another form ("res:ce-d4884357-...", a prefix left undeclared)
    ctid = ctid_of(node) or (ctid_in(ref) if ref and not uri and not is_bnode(ref) else None)
    if not ctid and not uri:
        if not is_bnode(ref):
            ctx.warn(f"{ctx.doc.url}: skipped a credential with neither CTID nor URI")
        return None
    name = label(prop(node, "name"))
    if not name:
        ctx.warn(f"{ctx.doc.url}: skipped credential {ctid or uri}: it has no name")
        return None
    cid = credential_id(ctid=ctid, uri=uri)
    for status_prop in ("credentialStatusType", "lifeCycleStatusType"):
        for status in as_list(prop(node, status_prop)):
            key = concept_key(ctx.nodes.resolve(status) or status)
            if key in _INACTIVE:
                ctx.warn(f"{ctx.doc.url}: credential {cid} has status {key}; kept")
    local_types = [local_name(t) for t in as_list(node.get("@type")) if isinstance(t, str)]
    duration = estimated_duration(ctx, node)
    prepares_for, prepared_by = preparation(ctx, node, cid)
    credential = Credential(
        id=cid,
        name=name,
        type=credential_type(*local_types),
        description=text(prop(node, "description")),
        ctid=ctid,
        url=uri_text(prop(node, "subjectWebpage")),
        issuer=owner(ctx, node),
        language=next((tag for t in texts(prop(node, "inLanguage")) if (tag := language(t))), None),
        duration_hours=duration.max_hours if duration else None,
        duration=duration,
        credits=_credits(ctx, node),
        level=_join(concept_labels(prop(node, "audienceLevelType"))),
        assessment=_join(
            concept_labels(prop(node, "assessmentMethodType"))
            + concept_labels(prop(node, "assessmentDeliveryType"))
        ),
        delivery_mode=_join(
            concept_labels(prop(node, "learningDeliveryType"))
            + concept_labels(prop(node, "deliveryType"))
        ),
        cost=_cost(ctx, node),
        accredited_by=accreditors(ctx, node),
        prerequisites=_prerequisites(ctx, node),
        requires=tuple(r for r in _required(ctx, node) if r != cid),
        part_of=_refs(ctx, prop(node, "isPartOf")),
        has_part=_refs(ctx, prop(node, "hasPart")),
        validity=label(prop(node, "renewalFrequency")),
        keywords=keywords(ctx, node),
        alternate_names=alternate_names(texts(prop(node, "alternateName")), name),
        skills=skill_links(ctx, node),
        occupations=occupation_links(ctx, node),
        prepares_for=prepares_for,
        prepared_by=prepared_by,
        advanced_standing_for=advanced_standing(
            ctx, node, cid, "isAdvancedStandingFor", _condition_text
        ),
        advanced_standing_from=advanced_standing(
            ctx, node, cid, "advancedStandingFrom", _condition_text
        ),
        outcomes=outcomes(ctx, node),
        quality_assurance=quality_assurance(ctx, node),
        provenance=ctx.provenance,
    )
    return one_link_per_target(credential)


def _join(labels: list[str]) -> str | None:
    """Labels joined with ", ", as many as fit a short text field."""
    joined = ""
    for item in dict.fromkeys(labels):
        candidate = f"{joined}, {item}" if joined else item
        if len(candidate) > MAX_URI:
            break
        joined = candidate
    return joined or None


def _cost(ctx: Context, node: dict[str, Any]) -> Money | None:
    priced: list[tuple[Money, set[str]]] = []
    for value in as_list(prop(node, "estimatedCost")):
        profile = ctx.nodes.resolve(value)
        price = prop(profile, "price") if profile else None
        if profile is None or price is None:
            continue
        amount = price if isinstance(price, (int, float)) else text(price)
        currency = label(prop(profile, "currency"))
        found = money(amount, currency_code(currency))
        if found is None or found.problems():
            ctx.warn(f"{ctx.doc.url}: cost {amount!r} {currency or ''} not understood; ignored")
            continue
        kinds = {k for v in as_list(prop(profile, "directCostType")) if (k := concept_key(v))}
        priced.append((found, kinds))
    for found, kinds in priced:
        if "AggregateCost" in kinds:
            return found
    return priced[0][0] if priced else None


def _credits(ctx: Context, node: dict[str, Any]) -> Credits | None:
    # A ValueProfile is read as on an advanced-standing condition: its value is written
    # `schema:value` in published CTDL, which `prop` (CTDL's own prefixes) never reads.
    found = profile_credits(ctx, node)
    if found is not None:
        return found
    for value_prop, unit_prop in (
        ("creditHourValue", "creditHourType"),
        ("creditUnitValue", "creditUnitType"),
    ):
        amount = prop(node, value_prop)
        if amount is not None:
            amount = amount if isinstance(amount, (int, float)) else text(amount)
            unit = concept_labels(prop(node, unit_prop)) or (
                ["credit hours"] if value_prop == "creditHourValue" else None
            )
            found = credits(amount, unit)
            if found is not None and not found.problems():
                return found
    return None


def _condition_text(profile: dict[str, Any]) -> str | None:
    name = label(prop(profile, "name"))
    description = text(prop(profile, "description"))
    conditions = [normalise_text(t) for t in texts(prop(profile, "condition"))]
    body = "\n".join(dict.fromkeys(p for p in [description, *conditions] if p))
    if not body:
        return None
    return f"{name}: {body}" if name and name.casefold() not in _GENERIC_NAMES else body


def _prerequisites(ctx: Context, node: dict[str, Any]) -> str | None:
    parts: list[str] = []
    for condition_prop, prefix in _CONDITIONS:
        for value in as_list(prop(node, condition_prop)):
            profile = ctx.nodes.resolve(value)
            part = _condition_text(profile) if profile else None
            if part and prefix + part not in parts:
                parts.append(prefix + part)
    return "\n".join(parts) or None


def _refs(ctx: Context, values: Any) -> tuple[str, ...]:
    """Credential ids for references: the node's CTID, else the CTID in the URI, else the URI."""
    out: list[str] = []
    for value in as_list(values):
        node = ctx.nodes.resolve(value)
        ref = ref_of(node) if node is not None else ref_of(value)
        ctid = ctid_of(node) if node is not None else None
        if not ctid and ref and not is_bnode(ref):
            ctid = ctid_in(ref)
        if ctid:
            out.append(ctid)
        elif ref and ref.startswith(("http://", "https://")):
            out.append(uri_key(ref))
        elif node is None and is_bnode(ref):
            ctx.missing(str(ref))
    return tuple(dict.fromkeys(out))


def _required(ctx: Context, node: dict[str, Any]) -> tuple[str, ...]:
    targets: list[Any] = []
    for condition_prop in ("requires", "entryCondition"):
        for value in as_list(prop(node, condition_prop)):
            profile = ctx.nodes.resolve(value)
            if profile is not None:
                targets += as_list(prop(profile, "targetCredential"))
                targets += as_list(prop(profile, "targetLearningOpportunity"))
    return _refs(ctx, targets)
