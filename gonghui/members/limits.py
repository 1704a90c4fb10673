"""Limits of what the members pages and API take that no model field declares (the rest come from
the model field through ``core.limits.limit_of``), and the sizes of what they list."""

REVEAL_PURPOSE = 100  # why a cadre shows a member's ID number and phone in full, kept in the audit record
IMPORT_VALUE_QUOTED = 100  # a rejected cell quoted back in the API's list of errors (ends in "…" when cut)
IMPORT_ERRORS_PAGE = 200  # an import's errors listed in one answer of the API (every one is reachable page by page)
IMPORT_ERRORS_PRINTED = 20  # an import's errors printed by the import command (every one is in its error report)
