"""The offline demo: a small, realistic graph loaded into the embedded store."""
