"""Writes of activities: the catalogue (organizers) and sign-up (workers)."""
