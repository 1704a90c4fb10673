"""Limits of what the registration API takes that no model field declares."""

CREDIT_CODE_TEXT = 30  # a unified social credit code as typed, with spaces (18 characters are kept)
