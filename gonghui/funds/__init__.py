"""Funds, the seven-step construction projects, demonstration awards, chair reviews and field work."""
