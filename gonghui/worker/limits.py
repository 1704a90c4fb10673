"""Limits of what the worker's phone pages take that no model field declares (the rest come from the
model field through ``core.limits.limit_of``, or from the limits of the app the page belongs to)."""

OFFER_TOKEN = 1000  # the signed "invite me" offer sent back with its form, checked, never stored
