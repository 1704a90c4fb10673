"""Models of positions."""
