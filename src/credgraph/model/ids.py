"""Stable identity rules.

A credential keeps the same id across crawls: its CTID when it has one, else its canonical
document URI, normalised. Skills and occupations key on their framework URI or code and fall
back to a normalised label. Issuers key like credentials (CTID, URI) and fall back to their name.
A `urn:` or a DID (`did:key:...`, `did:web:...`, `did:jwk:...`) is an identifier too, kept as
published: it has no host or path to normalise, and two issuers that share a name but not a
DID are two issuers.

>>> credential_id(ctid=None, uri="HTTPS://Badges.Example.org:443/b/1/")
'https://badges.example.org/b/1'
>>> skill_id(uri=None, framework="O*NET", code="2.A.1.a", label="Reading Comprehension")
'onet:2.A.1.a'
>>> skill_id(uri=None, framework=None, code=None, label="  Structured  Query Language ")
'label:structured query language'
>>> issuer_id(ctid=None, uri="did:web:example.edu", name="Example University")
'did:web:example.edu'
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit, urlunsplit

_CTID = re.compile(r"^ce-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SOC_CODE = re.compile(r"^\d{2}-\d{4}(\.\d{2})?$")
# An O*NET-SOC code as one segment of a URL's path (`/link/summary/15-2051.00`)
_SOC_SEGMENT = re.compile(r"/(\d{2}-\d{4}(?:\.\d{2})?)(?=/|$)")
_ONET_HOSTS = ("onetonline.org", "onetcenter.org", "mynextmove.org")
_DEFAULT_PORTS = {"http": "80", "https": "443"}
_SPACE = re.compile(r"\s+")
# DID Core 1.0 §3.1: did:<method-name>:<method-specific-id>; a DID URL may add a path, query
# or fragment, which identify something else than the DID subject and are refused here.
_DID = re.compile(
    r"^did:[a-z0-9]+:(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2}|:)*(?:[A-Za-z0-9._-]|%[0-9A-Fa-f]{2})$"
)


def normalise_text(text: str) -> str:
    """Unicode NFC, collapsed whitespace, trimmed: for names and descriptions we display."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalise_label(label: str) -> str:
    """A matching key for a label: NFKC, case-folded, whitespace collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", label).casefold()).strip()


def is_ctid(value: str) -> bool:
    return bool(_CTID.match(value.strip().lower()))


def normalise_uri(uri: str) -> str:
    """Canonical form of a document URI: lower-case scheme and host, no default port,
    percent-encoding normalised, no trailing slash on a non-root path.

    Query strings and fragments are kept: catalogs address records by query (`?id=42`) and
    JSON-LD nodes by fragment (`.../skills#problem-solving`); an empty `#` is dropped.
    """
    raw = uri.strip()
    parts = urlsplit(raw)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"not an absolute URI: {uri!r}")
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or str(port) == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = quote(unquote(parts.path), safe="/:@!$&'()*+,;=-._~")
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((scheme, netloc, path or "", parts.query, parts.fragment))


def uri_forms(uri: str) -> list[str]:
    """The normalised URI, and for a site's root also its other spelling: a root is stored as
    it was published, with its slash ("https://www.wgu.edu/") or without, so a lookup tries
    both. ValueError for what is not an absolute URI."""
    first = normalise_uri(uri)
    parts = urlsplit(first)
    if parts.path not in ("", "/"):
        return [first]
    return [first, urlunsplit(parts._replace(path="/" if not parts.path else ""))]


def key_spellings(key: str) -> list[str]:
    """The ids a key someone gives may be spelled as in the graph, in order: as given, a CTID
    in lower case, an http(s) URI normalised (a site's root with and without its slash).
    Every lookup by a given id reads them: the two stores' credential keys, issuers and
    skills by id, export seeds and filters."""
    text = key.strip()
    found = [key, text]
    if is_ctid(text):
        found.append(text.lower())
    if text[:8].lower().startswith(("http://", "https://")):
        with contextlib.suppress(ValueError):  # not an absolute URI after all: as given
            found.extend(uri_forms(text))
    return list(dict.fromkeys(f for f in found if f))


def is_did(value: str) -> bool:
    """A DID (not a DID URL with a path or fragment).

    >>> is_did("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"), is_did("did:web")
    (True, False)
    """
    return bool(_DID.match(value.strip()))


def _opaque(uri: str) -> bool:
    """An identifier kept as published: a `urn:` or a DID."""
    return uri.startswith("urn:") or is_did(uri)


def _is_uri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:")) or is_did(value)


def credential_id(*, ctid: str | None, uri: str | None) -> str:
    """The stable id of a credential: CTID, else normalised URI."""
    if ctid and is_ctid(ctid):
        return ctid.strip().lower()
    if uri:
        return uri.strip() if _opaque(uri.strip()) else normalise_uri(uri)
    raise ValueError("a credential needs a CTID or a document URI for a stable id")


def issuer_id(*, ctid: str | None, uri: str | None, name: str | None) -> str:
    """The stable id of an issuer: CTID, else normalised URI, else its normalised name."""
    if ctid and is_ctid(ctid):
        return ctid.strip().lower()
    if uri:
        return uri.strip() if _opaque(uri.strip()) else normalise_uri(uri)
    if name and name.strip():
        return "issuer:" + normalise_label(name)
    raise ValueError("an issuer needs a CTID, a URI or a name for a stable id")


def framework_key(framework: str) -> str:
    """'O*NET' -> 'onet', 'ESCO v1.2' -> 'esco-v1.2': a short scheme prefix for codes."""
    key = re.sub(r"[^a-z0-9.]+", "-", normalise_label(framework).replace("*", "")).strip("-")
    return key or "framework"


def skill_id(*, uri: str | None, framework: str | None, code: str | None, label: str | None) -> str:
    """The stable id of a skill: framework URI, else framework:code, else normalised label."""
    if uri and _is_uri(uri):
        return uri.strip() if _opaque(uri.strip()) else normalise_uri(uri)
    if framework and code and code.strip():
        return f"{framework_key(framework)}:{code.strip()}"
    if label and label.strip():
        return "label:" + normalise_label(label)
    raise ValueError("a skill needs a framework URI, a framework code or a label")


def occupation_id(
    *, uri: str | None, framework: str | None, code: str | None, label: str | None
) -> str:
    """The stable id of an occupation. Bare SOC-shaped codes (`15-1252.00`) are O*NET-SOC."""
    if code and _SOC_CODE.match(code.strip()) and not (uri and _is_uri(uri)):
        return f"onet:{code.strip() if '.' in code else code.strip() + '.00'}"
    return skill_id(uri=uri, framework=framework, code=code, label=label)


def is_soc_code(code: str) -> bool:
    return bool(_SOC_CODE.match(code.strip()))


def onet_page_code(url: str | None) -> str | None:
    """The O*NET-SOC code of an O*NET occupation page (O*NET OnLine, O*NET Center, My Next
    Move): the URI an O*NET occupation gives, and the one alignments and CTDL name an O*NET
    occupation by. Its id is `onet:<code>`.

    >>> onet_page_code("https://www.onetonline.org/link/summary/15-2051.00")
    '15-2051.00'
    >>> onet_page_code("https://example.org/15-2051.00") is None
    True
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    if not (parts.hostname or "").endswith(_ONET_HOSTS):
        return None
    found = _SOC_SEGMENT.search(parts.path)
    return found.group(1) if found else None
