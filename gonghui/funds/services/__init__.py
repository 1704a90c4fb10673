"""Writes of funds, by topic: ledger (plans, budgets, allocations, payments), projects, awards."""
