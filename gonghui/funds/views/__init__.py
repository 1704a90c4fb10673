"""Console pages of funds, split by topic; each module declares its own patterns."""
