"""API of funds (mounted under /api/v1/): plans, budgets, allocations, payments, the ledger, the
seven-step projects and demonstration awards. Same scoping and the same services as the console.

Amounts travel as decimal strings ("20000.00") or whole numbers of yuan; a JSON number with a
fraction is refused (it is no longer exact), the rest is checked by ``money.parse_amount`` (no
negatives, at most two decimal places, no NaN).
"""

from . import evaluation, money, projects  # noqa: F401 - each module adds its routes to the router
from .common import router

__all__ = ["router"]
