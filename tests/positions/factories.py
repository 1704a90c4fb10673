"""Positions for tests: a station under a node, near the demo county's centre unless told."""

import itertools

from gonghui.orgs.models import Node
from gonghui.positions.services import positions as services

_seq = itertools.count(1)
WEEKDAYS_8_TO_18 = {str(d): [["08:00", "18:00"]] for d in range(5)}
CENTRE = (30.871200, 119.943300)


def station_fields(**overrides) -> dict:
    n = next(_seq)
    fields = {
        "name": f"测试驿站{n}", "kind": "rest_station", "address": f"青山县人民路{n}号",
        "lat": CENTRE[0] + (n % 50) * 0.0001, "lng": CENTRE[1], "hours": dict(WEEKDAYS_8_TO_18),
        "amenities": ["hot_water", "phone_charging", "toilet"],
    }
    fields.update(overrides)
    return fields


def make_position(node, *, actor=None, tree=None, **overrides):
    """A position under ``node``, written through the service by a county admin (``tree``) or ``actor``."""
    actor = actor or tree.user("a_admin")
    return services.create_position(node=Node.objects.get(pk=node.pk), actor=actor, **station_fields(**overrides))
