"""credgraph: a credential-transparency graph of issuers, credentials, skills and occupations."""

__version__ = "0.1.0"
__all__ = ["__version__"]
