"""Writes of aid, split by topic: programmes, hardship, applications, ledger, medical, wishes."""
