"""Stand-ins for verification's heavy steps in its check workers (imported there by name):
each waits for the handshake its input names (`tests.handshake`), then does the real step."""

from __future__ import annotations

import json
from typing import Any

from credgraph.verify.bitstring import Decoded
from credgraph.verify.bitstring import decode_list as real_decode_list
from credgraph.verify.definitions import parse_definition as real_parse_definition
from credgraph.verify.pages import award_behind as real_award_behind
from tests.handshake import wait_for_ticks


def decode_list_after_ticks(text: str) -> Decoded:
    """`bitstring.decode_list` once the loop has ticked (the list names the handshake)."""
    wait_for_ticks(json.loads(text)["handshake"])
    return real_decode_list(text)


def parse_definition_after_ticks(document: dict[str, Any], url: str | None, now: Any) -> Any:
    """`definitions.parse_definition` once the loop has ticked (the document names the
    handshake)."""
    wait_for_ticks(document["handshake"])
    return real_parse_definition(document, url, now)


def award_behind_after_ticks(page_url: str, html: str) -> Any:
    """`pages.award_behind` once the loop has ticked (the page names the handshake in a
    comment, `<!--{...}-->`)."""
    wait_for_ticks(json.loads(html.split("<!--", 1)[1].split("-->", 1)[0]))
    return real_award_behind(page_url, html)
