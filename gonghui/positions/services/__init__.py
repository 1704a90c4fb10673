"""Writes of positions, split by topic: positions (records, photos, import), visits, assessments."""
