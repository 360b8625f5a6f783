"""What a name index over the graph's credentials reads from a store: each credential's name,
the other names its publisher gives it, and its issuer's name.

    version = await store.graph_version()     # cheap: asked before every use
    names = await store.credential_names()    # the whole catalogue: once per version

`credgraph.resolving` builds its index from these rows and rebuilds it when the graph's
version changes.
"""

from __future__ import annotations

from dataclasses import dataclass

# Reading every credential's names is a whole-catalogue read; done once per graph version,
# it may take longer than a request's read deadline on a large graph.
NAMES_DEADLINE_S = 120.0


@dataclass(frozen=True, slots=True)
class CredentialName:
    """The names a credential goes by: its own, its publisher's alternates, its issuer's."""

    credential_id: str
    name: str
    alternate_names: tuple[str, ...] = ()
    issuer_name: str | None = None
    issuer_alternate_names: tuple[str, ...] = ()
