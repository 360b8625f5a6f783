"""A small catalogue of real certifications, as issuers name them, for matcher and API tests."""

from __future__ import annotations

from credgraph.model import Credential, CredentialType, Issuer
from credgraph.store.names import CredentialName

AWS = Issuer("https://aws.amazon.com/", "Amazon Web Services")
PMI = Issuer("https://www.pmi.org/", "Project Management Institute")
COMPTIA = Issuer("https://www.comptia.org/", "CompTIA")
GOOGLE = Issuer("https://grow.google/", "Google")
ISC2 = Issuer("https://www.isc2.org/", "ISC2")
CISCO = Issuer("https://www.cisco.com/", "Cisco")
GOOGLE_CLOUD = Issuer(
    "https://cloud.google.com/", "Google Cloud", alternate_names=("Google Cloud Platform", "GCP")
)

SAA = "https://aws.amazon.com/certification/certified-solutions-architect-associate/"
CCP = "https://aws.amazon.com/certification/certified-cloud-practitioner/"
PMP = "https://www.pmi.org/certifications/project-management-pmp"
SECURITY_PLUS = "https://www.comptia.org/certifications/security"
NETWORK_PLUS = "https://www.comptia.org/certifications/network"
DATA_ANALYTICS = "https://grow.google/certificates/data-analytics/"
CISSP = "https://www.isc2.org/certifications/cissp"
CLOUD_ARCHITECT = "https://cloud.google.com/learn/certification/cloud-architect"
CCNA = "https://www.cisco.com/site/us/en/learn/training-certifications/certifications/enterprise/ccna/index.html"

CREDENTIALS = [
    Credential(
        SAA,
        "AWS Certified Solutions Architect – Associate",
        CredentialType.CERTIFICATION,
        issuer=AWS,
        alternate_names=("SAA-C03",),
    ),
    Credential(
        CCP,
        "AWS Certified Cloud Practitioner",
        CredentialType.CERTIFICATION,
        issuer=AWS,
        alternate_names=("CLF-C02",),
    ),
    Credential(
        PMP, "Project Management Professional (PMP)®", CredentialType.CERTIFICATION, issuer=PMI
    ),
    Credential(
        SECURITY_PLUS,
        "CompTIA Security+",
        CredentialType.CERTIFICATION,
        issuer=COMPTIA,
        alternate_names=("SY0-701",),
    ),
    Credential(
        NETWORK_PLUS,
        "CompTIA Network+",
        CredentialType.CERTIFICATION,
        issuer=COMPTIA,
        alternate_names=("N10-009",),
    ),
    Credential(
        DATA_ANALYTICS,
        "Google Data Analytics Professional Certificate",
        CredentialType.CERTIFICATE,
        issuer=GOOGLE,
    ),
    Credential(
        CISSP,
        "Certified Information Systems Security Professional",
        CredentialType.CERTIFICATION,
        issuer=ISC2,
        alternate_names=("CISSP",),
    ),
    Credential(
        CCNA, "Cisco Certified Network Associate (CCNA)", CredentialType.CERTIFICATION, issuer=CISCO
    ),
    Credential(
        CLOUD_ARCHITECT,
        "Professional Cloud Architect",
        CredentialType.CERTIFICATION,
        issuer=GOOGLE_CLOUD,
    ),
]


def names(extra: int = 0) -> list[CredentialName]:
    """The catalogue as the store reads it, with `extra` filler credentials of unrelated
    issuers named like the synthetic benchmark graph's."""
    rows = [
        CredentialName(
            c.id,
            c.name,
            c.alternate_names,
            c.issuer.name if c.issuer else None,
            c.issuer.alternate_names if c.issuer else (),
        )
        for c in CREDENTIALS
    ]
    rows += [
        CredentialName(
            f"https://issuer{n % 50}.example/credentials/{n}",
            f"{('Data', 'Cloud', 'Security', 'Design')[n % 4]} credential {n}",
            (),
            f"Issuer {n % 50} data academy",
        )
        for n in range(extra)
    ]
    return rows
