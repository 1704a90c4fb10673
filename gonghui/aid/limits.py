"""Limits of what the aid forms and API take that no model field declares (encrypted texts have no
``max_length``; the rest come from the model field through ``core.limits.limit_of``)."""

# a person's name, stored encrypted (hardship file, household member, student), measured as core.text does
from gonghui.core.limits import PERSON_NAME as PERSON_NAME

SITUATION = 1000  # a hardship file's situation, stored encrypted
DIAGNOSIS = 100  # a medical claim's diagnosis category, stored encrypted
RATIO_TEXT = 10  # a payout ratio as typed (0–1)
HOUSEHOLD_ROWS = 20  # household members entered with a hardship file
