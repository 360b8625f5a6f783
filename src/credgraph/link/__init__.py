"""Linking skill and occupation mentions to canonical taxonomy nodes (ESCO, O*NET, ...).

`TaxonomyIndex` holds the canonical nodes, `Linker` resolves mentions and credentials,
`relink` upgrades stored credentials once a taxonomy arrives, and `load_linker` /
`link_result` are what a crawl run calls.
"""

from credgraph.link.hooks import link_result, load_linker
from credgraph.link.index import TaxonomyIndex, load_index
from credgraph.link.relink import RelinkReport, relink, relink_credential
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
    "Linker",
    "RelinkReport",
    "TaxonomyIndex",
    "link_result",
    "load_index",
    "load_linker",
    "relink",
    "relink_credential",
]
