"""Payments and allocation orders share one shape of a two-person record (``core.models.TwoPersonDecision``:
who prepared it and when, who decided it and when, the reason), with no schema change."""

import pytest
from django.apps import apps
from django.db import models
from django.db.migrations.autodetector import MigrationAutodetector
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.utils import translation

from gonghui.core.models import TwoPersonDecision
from gonghui.funds.models import AllocationOrder, Payment

SHARED = ("prepared_by", "prepared_at", "decided_by", "decided_at", "reason")


@pytest.mark.parametrize("model", [Payment, AllocationOrder])
def test_payments_and_allocation_orders_are_two_person_records(model):
    assert issubclass(model, TwoPersonDecision)
    fields = {f.name: f for f in model._meta.get_fields()}
    assert set(SHARED) <= set(fields)
    assert fields["prepared_by"].remote_field.on_delete is models.PROTECT and not fields["prepared_by"].null
    assert fields["decided_by"].null and fields["decided_at"].null and fields["prepared_at"].auto_now_add


def test_the_shared_shape_needs_no_migration():
    """What ``makemigrations --check`` compares: the migrations' state against the models (no database)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    with translation.override(None):  # as the command compares: verbose names untranslated
        changes = MigrationAutodetector(loader.project_state(), ProjectState.from_apps(apps)).changes(graph=loader.graph)
    assert "funds" not in changes and "core" not in changes
