"""Writes to the roster, split by topic: roster (create, edit, leave, reinstate, reveal), joining
(QR links, applications, review, prospects), transfer (转会), card (member card tokens) and
importing (roster files)."""
