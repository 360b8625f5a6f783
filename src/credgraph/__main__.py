"""`python -m credgraph`: the same command line as the `credgraph` script, for an interpreter
whose scripts folder is not on PATH."""

from credgraph.cli.main import main

main(prog_name="credgraph")
