"""Limits of what the funds forms take that no model field declares (the rest come from the model
field through ``core.limits.limit_of``)."""

AREA_TEXT = 10  # a floor area in m² as typed
PROJECT_DESCRIPTION = 2000  # what a construction project builds
INDICATOR_NAME = 40  # an indicator's name in an award call or review round (kept in a JSON list)
INDICATOR_KEY = 60  # the statistics figure an indicator reads, looked up among the figures
STEP_TEXT = 2000  # the text a project's step records (an objection, an answer, acceptance notes)
