"""Limits of what the activities forms and API take that no model field declares (the rest come
from the model field through ``core.limits.limit_of``)."""

TICKET = 300  # a booking code or the text of its QR code, looked up, never stored
MEMBER_SEARCH = 30  # a member's name or card number typed to find a volunteer
CANCEL_REASON = 200  # why an activity is called off, or a person taken off its waiting list, sent to them by SMS
SERVICE_HOURS_ROWS = 1000  # volunteers' hours entered for one service at once
COURSE_PLACE = 40  # a town, street or venue typed to filter the course list on the phone, never stored
