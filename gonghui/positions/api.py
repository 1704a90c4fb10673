"""API of positions (mounted under /api/v1/); same scoping as the console."""

from ninja import Router

router = Router(tags=["positions"])
