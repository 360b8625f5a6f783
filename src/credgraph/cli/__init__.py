"""The `credgraph` command line: thin commands over the library (the composition root)."""
