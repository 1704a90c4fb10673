"""Limits of what the model workers' forms take that no model field declares."""

ALLOWANCE_REASON = 200  # why an allowance is paid; the aid application's reason holds kind and reason
