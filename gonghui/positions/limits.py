"""Limits of what the positions forms and API take that no model field declares (the rest come from
the model field through ``core.limits.limit_of``)."""

CARD_TEXT = 300  # a member card's number or the text of its QR code, looked up, never stored
AREA_SEARCH = 30  # a place name typed to find an area
BOOK_SEARCH = 60  # a title, author or ISBN typed to find a book
ISBN_TEXT = 30  # an ISBN as typed, with hyphens or spaces (13 digits are kept)
OPENING_HOURS_DAY = 100  # one weekday's opening hours, e.g. "08:00-12:00, 14:00-18:00"
IMPORT_ERRORS_LISTED = 500  # an import's problems listed on its page (the error report lists every one)
