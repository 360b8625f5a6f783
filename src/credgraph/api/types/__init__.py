"""GraphQL types, one per module, each built from a domain value with `from_model()`."""
