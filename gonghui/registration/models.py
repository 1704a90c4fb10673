"""Models of registration."""
