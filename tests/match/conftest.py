"""The API schema tests' stores: each store kind, loaded with the contract suite's graph."""

from tests.api.conftest import empty_store, store

__all__ = ["empty_store", "store"]
