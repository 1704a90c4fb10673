"""Hooks that higher modules register with positions (positions may not import them).

Activities held at a position: the activities module owns ``Activity.venue`` (a foreign key to
``Position``) and registers, once at start-up, a provider::

    register_venue_activities(lambda position, public: ...)

``provider(position, public)`` returns the activities held at the position — a queryset or a list
— as objects with ``pk``, ``title``, ``starts_at``, ``ends_at`` and ``get_kind_display()``; with
``public=True`` only those a worker may see (published), since the worker pages run without a
cadre's scope. Positions orders and limits them (``selectors.venue_activities``) and shows them on
the bookroom's pages as its reading activities. Without a provider the pages say there are none.
"""

from collections.abc import Callable, Iterable
from typing import Any

VenueActivitiesProvider = Callable[[Any, bool], Iterable[Any]]

_venue_activities: VenueActivitiesProvider | None = None


def register_venue_activities(provider: VenueActivitiesProvider) -> None:
    """Register the provider of activities held at a position (the last registration wins, so a
    test may swap it)."""
    global _venue_activities
    _venue_activities = provider


def venue_activities_provider() -> VenueActivitiesProvider | None:
    return _venue_activities
