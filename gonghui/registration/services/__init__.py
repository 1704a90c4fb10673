"""Writes of registration, split by topic: offices, applications, the register, certificates."""
