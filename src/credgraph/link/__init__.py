"""Linking skill and occupation mentions to canonical taxonomy nodes (ESCO, O*NET, ...), and
relating the frameworks to one another.

`TaxonomyIndex` holds the canonical nodes, `Linker` resolves mentions and credentials and
learns framework nodes as crawled alignments bring them, `relink` upgrades stored credentials
once a taxonomy arrives (`relink_mentions` once one node does), and `load_linker` /
`link_page` are what a crawl run calls. `update_close_matches` computes close matches between
frameworks (`lexical`) and stores them as scored edges.
"""

from credgraph.link.close_matches import CloseMatchReport, update_close_matches
from credgraph.link.hooks import link_page, link_result, load_linker
from credgraph.link.index import TaxonomyIndex, load_index
from credgraph.link.relink import RelinkReport, relink, relink_credential, relink_mentions
from credgraph.link.resolve import (
    DEFAULT_THRESHOLD,
    EXACT_CODE,
    EXACT_URI,
    FUZZY,
    LABEL_ANY_FRAMEWORK,
    LABEL_IN_FRAMEWORK,
    LINK_METHODS,
    UNRESOLVED,
    Linker,
)

__all__ = [
    "DEFAULT_THRESHOLD",
    "EXACT_CODE",
    "EXACT_URI",
    "FUZZY",
    "LABEL_ANY_FRAMEWORK",
    "LABEL_IN_FRAMEWORK",
    "LINK_METHODS",
    "UNRESOLVED",
    "CloseMatchReport",
    "Linker",
    "RelinkReport",
    "TaxonomyIndex",
    "link_page",
    "link_result",
    "load_index",
    "load_linker",
    "relink",
    "relink_credential",
    "relink_mentions",
    "update_close_matches",
]
