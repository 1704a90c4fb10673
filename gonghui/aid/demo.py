"""Demo records of aid for the demo county; deterministic and safe to run twice."""


def load(stdout=None) -> None:
    """Called by ``gonghui demo`` after the tree, the ledger and the members exist."""
