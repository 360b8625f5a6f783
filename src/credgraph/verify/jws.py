"""Compact JWS (RFC 7515) with the algorithms badges use: RS256 (OB 2.0 signed badges and
VC-JWT), ES256, ES384 and EdDSA (VC-JWT). Written on `cryptography` directly: a JOSE library
would save about fifty lines and add a dependency whose key handling we would still wrap.

`critical_headers` applies RFC 7515 §4.1.11: a token that lists in `crit` a header parameter
the recipient does not understand is invalid. We understand no extension, so any `crit` is.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from credgraph.verify.errors import Invalid, VerificationInputError
from credgraph.verify.signatures import PublicKey

_ECDSA = {"ES256": ("secp256r1", 32, hashes.SHA256), "ES384": ("secp384r1", 48, hashes.SHA384)}
# Header parameters RFC 7515 and RFC 7797 define: `crit` must not list them.
_REGISTERED = frozenset({"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ",
                         "cty", "crit"})  # fmt: skip
_COMPACT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$")


def b64url(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise VerificationInputError(f"not base64url: {exc}") from exc


def looks_like_jws(text: str) -> bool:
    return bool(_COMPACT.match(text.strip()))


@dataclass(frozen=True, slots=True)
class CompactJws:
    header: dict[str, Any]
    payload: Any  # the decoded JSON payload
    signing_input: bytes
    signature: bytes

    @property
    def alg(self) -> str:
        return str(self.header.get("alg", ""))


def parse_jws(token: str) -> CompactJws:
    """Split and decode a compact JWS whose payload is JSON; VerificationInputError says
    which part is malformed."""
    token = token.strip()
    if not looks_like_jws(token):
        raise VerificationInputError(
            "not a compact JWS: expected three base64url parts separated by dots"
        )
    head, body, sig = token.split(".")
    parts: list[Any] = []
    for name, part in (("header", head), ("payload", body)):
        try:
            parts.append(json.loads(b64url(part)))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise VerificationInputError(f"JWS {name} is not JSON: {exc}") from exc
    if not isinstance(parts[0], dict):
        raise VerificationInputError("JWS header is not a JSON object")
    return CompactJws(parts[0], parts[1], f"{head}.{body}".encode("ascii"), b64url(sig))


def signature_valid(jws: CompactJws, key: PublicKey) -> bool:
    """Whether the JWS signature verifies under `key` with the header's `alg`; a key of
    another kind than the algorithm needs is a failure, never a downgrade."""
    try:
        if jws.alg == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(jws.signature, jws.signing_input, padding.PKCS1v15(), hashes.SHA256())
        elif jws.alg in _ECDSA and isinstance(key, ec.EllipticCurvePublicKey):
            curve, size, digest = _ECDSA[jws.alg]
            if len(jws.signature) != 2 * size or key.curve.name != curve:
                return False
            r = int.from_bytes(jws.signature[:size], "big")
            s = int.from_bytes(jws.signature[size:], "big")
            key.verify(encode_dss_signature(r, s), jws.signing_input, ec.ECDSA(digest()))
        elif jws.alg == "EdDSA" and isinstance(key, Ed25519PublicKey):
            key.verify(jws.signature, jws.signing_input)
        else:
            return False
    except InvalidSignature:
        return False
    return True


def critical_headers(header: dict[str, Any]) -> None:
    """Invalid when `crit` is present (RFC 7515 §4.1.11): malformed, or listing extensions,
    none of which we understand."""
    if "crit" not in header:
        return
    crit = header["crit"]
    if not isinstance(crit, list) or not crit or not all(isinstance(c, str) for c in crit):
        raise Invalid("the JOSE header's crit is not a non-empty list of names (RFC 7515 §4.1.11)")
    registered = sorted(set(crit) & _REGISTERED)
    if registered:
        raise Invalid(
            f"crit lists {', '.join(registered)}, which RFC 7515 defines and crit must not name"
        )
    missing = [c for c in crit if c not in header]
    if missing:
        raise Invalid(f"crit lists {', '.join(missing)}, absent from the header (RFC 7515 §4.1.11)")
    raise Invalid(
        f"the token requires the header extension(s) {', '.join(crit)}, which we do not "
        "understand: a JWS with unknown critical headers is invalid (RFC 7515 §4.1.11)"
    )
