"""Assistance: hardship registry, aid programmes, medical mutual aid, scholarships, micro-wishes."""
