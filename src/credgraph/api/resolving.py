"""`resolveCredentials`: the lines of a resume or profile, read as the credentials they name.

    resolveCredentials(names: ["AWS SAA", "PMP"], first: 3) { input matches { ... } }

The names are matched by `credgraph.resolving.service` (the name index per graph version,
matching in worker threads under deadlines, the limits); this module answers with the
credentials' views, loaded through the request's loaders.
"""

from __future__ import annotations

from collections.abc import Sequence

from credgraph.api.arguments import client_errors
from credgraph.api.context import ApiInfo, loaders_of, store_of
from credgraph.api.loaders import load_present
from credgraph.api.types.credential_resolution import CredentialResolution
from credgraph.api.types.resolved_credential import ResolvedCredential
from credgraph.resolving.service import resolve_names

# How long a request waits for the name index to be built (under the operation's own 10 s
# timeout); past it, a TIMEOUT saying the build goes on. 1M credentials take about 70 s.
INDEX_WAIT_SECONDS = 8.0


async def resolve_credentials(
    info: ApiInfo, names: Sequence[str], first: int
) -> list[CredentialResolution]:
    with client_errors():
        matched = await resolve_names(store_of(info), names, first, wait=INDEX_WAIT_SECONDS)
    ids = [m.credential_id for matches in matched for m in matches]
    with client_errors():
        views = {v.id: v for v in await load_present(loaders_of(info).credentials, ids)}
    return [
        CredentialResolution(
            input=name,
            matches=[
                ResolvedCredential.from_model(m, views[m.credential_id])
                for m in matches
                if m.credential_id in views
            ],
        )
        for name, matches in zip(names, matched, strict=True)
    ]
