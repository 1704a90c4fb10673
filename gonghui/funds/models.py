"""Models of funds."""
