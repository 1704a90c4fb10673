"""Console pages of aid; each module declares its own URL patterns."""
