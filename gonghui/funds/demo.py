"""Demo records of funds for the demo county; deterministic and safe to run twice."""


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger, the members and the positions exist."""
