"""Limits of what the rights forms and API take that no model field declares (encrypted and plain
texts without ``max_length``; the rest come from the model field through ``core.limits.limit_of``).
The services measure the same texts against the same numbers."""

from gonghui.core.limits import PERSON_NAME

CLAIMANT_NAME = PERSON_NAME  # stored encrypted; core.text.clean_person_name measures a name against the same
FACTS = 4000  # what happened, stored encrypted
OUTCOME = 2000
COMMENT = 2000  # a case's comment or a claimant's added information
SESSION_NOTES = 2000  # a mediation session's notes
TERMS = 4000  # a mediation agreement's terms
MOVE_NAME = 20  # the name of a case's move, looked up among the moves
EXTENSION_REASON = 300
WITHDRAW_REASON = 300
WORKERS_TEXT = 6  # the number of workers involved, as typed
TRACKING_CODE_TEXT = 30  # a tracking code as typed, looked up, never stored
CHECKLIST_ROWS = 200  # the check-up list's items in a new order
CHECKUP_SUMMARY = 2000  # a check-up's summary
WAGE_GROWTH_TEXT = 8  # an agreed wage growth in per cent as typed, parsed into a Decimal
