"""Models of aid."""
