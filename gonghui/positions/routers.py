"""The one API router of positions: ``api.py`` and the topic modules (``api_bookrooms.py``) declare
their endpoints on it, and the API mounts it as ``gonghui.positions.api.router``."""

from ninja import Router

router = Router(tags=["positions"])
