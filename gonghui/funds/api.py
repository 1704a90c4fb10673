"""API of funds (mounted under /api/v1/); same scoping as the console."""

from ninja import Router

router = Router(tags=["funds"])
