"""The only package that talks to the network."""

from credgraph.fetch.client import Fetcher
from credgraph.fetch.result import FetchResult, Validators

__all__ = ["FetchResult", "Fetcher", "Validators"]
