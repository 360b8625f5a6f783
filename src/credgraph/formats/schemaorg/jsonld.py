"""JSON-LD in HTML pages and JSON documents: the blocks, their nodes, and `@id` references.

Blocks are read from `<script type="application/ld+json">` elements with the standard
library's HTML parser, one block at a time, so that one broken block is reported as a warning
while the others are still read. (extruct 0.18 was evaluated and not used: it fails the whole
page on one broken or empty block, only matches the exact attribute value
`application/ld+json`, and lxml silently drops the rest of a page after an attribute over
10 MB.)

Keys and types written with a schema.org prefix (`schema:name`, `http://schema.org/Course`)
are reduced to their local names. Nodes deeper than `MAX_DEPTH` are dropped with a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from credgraph.formats.base import mend_surrogates

MAX_DEPTH = 48
_PREFIXES = (
    "https://schema.org/",
    "http://schema.org/",
    "https://www.schema.org/",
    "http://www.schema.org/",
    "schema:",
)
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_TYPE_ATTR = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_WRAPPERS = re.compile(
    r"^\s*(?://\s*)?(?:<!--|/\*\s*<!\[CDATA\[\s*\*/|<!\[CDATA\[)|"
    r"(?://\s*)?(?:-->|/\*\s*\]\]>\s*\*/|\]\]>)\s*$"
)


def _is_jsonld_type(value: str | None) -> bool:
    return value is not None and value.split(";", 1)[0].strip().lower() == "application/ld+json"


class _Scripts(HTMLParser):
    """Collects the text of every JSON-LD script element, with its line, and `<base href>`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.blocks: list[tuple[int, str]] = []
        self.base: str | None = None
        self._parts: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and any(k == "type" and _is_jsonld_type(v) for k, v in attrs):
            self._parts, self._line = [], self.getpos()[0]
        elif tag == "base" and self.base is None:
            self.base = next((v for k, v in attrs if k == "href" and v), None)

    def handle_data(self, data: str) -> None:
        if self._parts is not None:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._parts is not None:
            self.blocks.append((self._line, "".join(self._parts)))
            self._parts = None


def html_blocks(text: str) -> tuple[list[tuple[int, str]], str | None, list[str]]:
    """The JSON-LD blocks of a page as (line, text), the `<base href>` if any, and warnings.
    Falls back to a regular expression if the HTML parser gives up on the markup."""
    parser = _Scripts()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # html.parser raises AssertionError on some broken markup
        blocks = []
        for match in _SCRIPT.finditer(text):
            found = _TYPE_ATTR.search(match.group(1))
            if found and _is_jsonld_type(next(g for g in found.groups() if g is not None)):
                blocks.append((text.count("\n", 0, match.start()) + 1, match.group(2)))
        return (
            blocks,
            None,
            [
                f"HTML could not be parsed ({type(exc).__name__}); "
                "JSON-LD blocks found by pattern instead"
            ],
        )
    if parser._parts is not None:  # a script left open at the end of the page
        parser.blocks.append((parser._line, "".join(parser._parts)))
    return parser.blocks, parser.base, []


def load_block(raw: str) -> Any:
    """One block's JSON. HTML comment and CDATA wrappers are tolerated, as are raw control
    characters inside strings. Raises ValueError with a readable reason."""
    text = _WRAPPERS.sub("", raw.strip()).strip()
    if not text:
        raise ValueError("empty block")
    try:
        return mend_surrogates(json.loads(text, strict=False))
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise ValueError("JSON nested too deeply") from exc


def local_name(name: str) -> str:
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def is_absolute(uri: str) -> bool:
    if uri.startswith("urn:"):
        return True
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass
class Graph:
    """Every node of a document (dicts with `@type` or `@id`, in document order, nested ones
    included) and an index of the nodes that carry data by their resolved `@id`."""

    base: str
    nodes: list[dict[str, Any]] = field(default_factory=list)
    index: dict[str, dict[str, Any]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def add(self, data: Any, where: str) -> None:
        """Add one block (object, array, or object with `@graph`)."""
        clipped: list[bool] = []
        tree = _normalise(data, 0, clipped)
        if clipped:
            self.warnings.append(f"{where}: nodes nested deeper than {MAX_DEPTH} were ignored")
        if not isinstance(tree, (dict, list)):
            self.warnings.append(f"{where}: JSON-LD must be an object or an array")
            return
        for node in _walk(tree):
            self.nodes.append(node)
            key = self.node_id(node)
            if key and set(node) - {"@id", "@type", "@context"}:
                known = self.index.get(key)
                self.index[key] = node if known is None else {**node, **known}

    def node_id(self, node: dict[str, Any]) -> str | None:
        """A node's `@id`, resolved against the page URL (blank nodes kept as they are)."""
        raw = node.get("@id")
        return self.resolve_id(raw) if isinstance(raw, str) else None

    def resolve_id(self, raw: str) -> str | None:
        raw = raw.strip()
        if not raw:
            return None
        if raw.startswith("_:") or is_absolute(raw):
            return raw
        try:
            return urljoin(self.base, raw)
        except ValueError:
            return None

    def deref(self, value: Any, *, strings: bool = False) -> Any:
        """The full node a reference points to (`{"@id": ...}`, or with `strings`, a bare
        `@id` string), merged with what the reference itself says; else the value itself."""
        if isinstance(value, str) and strings:
            key = self.resolve_id(value)
            return self.index.get(key, value) if key else value
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            found = self.index.get(self.node_id(value) or "")
            if found is not None and found is not value:
                return {**value, **found}
        return value

    def items(self, node: dict[str, Any], prop: str, *, strings: bool = False) -> list[Any]:
        """A property's values as a list, references resolved."""
        value = node.get(prop)
        values = value if isinstance(value, list) else [] if value is None else [value]
        return [self.deref(v, strings=strings) for v in values if v is not None]

    def first(self, node: dict[str, Any], prop: str, *, strings: bool = False) -> Any:
        found = self.items(node, prop, strings=strings)
        return found[0] if found else None


def types(node: dict[str, Any]) -> list[str]:
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def _normalise(value: Any, depth: int, clipped: list[bool]) -> Any:
    if isinstance(value, (dict, list)) and depth >= MAX_DEPTH:
        clipped.append(True)
        return None
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            name = local_name(key)
            if name == "@type":
                items = item if isinstance(item, list) else [item]
                out[name] = [local_name(t) for t in items if isinstance(t, str)]
            else:
                out[name] = _normalise(item, depth + 1, clipped)
        return out
    if isinstance(value, list):
        return [_normalise(item, depth + 1, clipped) for item in value]
    return value


def _walk(value: Any) -> Iterator[dict[str, Any]]:
    """Every dict with `@type` or `@id`, outermost first; a `@graph` wrapper itself is not a
    node unless it has a type. Iterative, so depth is bounded by `_normalise` alone."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@type" in item or ("@id" in item and "@graph" not in item):
                yield item
            stack.extend(reversed([v for k, v in item.items() if k != "@context"]))


def page_graph(url: str, text: str) -> tuple[Graph | None, list[str]]:
    """The graph of an HTML page's JSON-LD blocks, under the page's `<base href>` when it has
    one, and the warnings met reading it; no graph when the page carries no JSON-LD. A block
    that is not JSON is named in a warning and left out; the others are read."""
    blocks, base_href, warnings = html_blocks(text)
    base = url
    if base_href:
        try:
            base = urljoin(url, base_href.strip())
        except ValueError:
            warnings.append("unreadable <base href> ignored")
    if not blocks:
        warnings.append("no JSON-LD on the page")
        return None, warnings
    graph = Graph(base)
    for number, (line, raw) in enumerate(blocks, 1):
        where = f"JSON-LD block {number} (line {line})"
        try:
            graph.add(load_block(raw), where)
        except ValueError as exc:
            warnings.append(f"{where} ignored: {exc}")
    return graph, warnings
