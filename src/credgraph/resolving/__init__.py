"""Credential names as people write them, resolved to the graph's credentials: the words of a
name (`words`), an index built once per graph version (`index`), matching one line (`matching`).
"""

from credgraph.resolving.index import NameIndex
from credgraph.resolving.matching import NameMatch, resolve

__all__ = ["NameIndex", "NameMatch", "resolve"]
