"""Limits of what the orgs forms take that no model field declares."""

DISSOLVE_REASON = 500  # why a union is dissolved, kept in its event
