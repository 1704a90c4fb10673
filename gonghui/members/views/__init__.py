"""Console pages of the roster, split by topic."""
