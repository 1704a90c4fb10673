"""Organizers' paper: the sign-in sheet of a session (PDF, names in full) and the participants in full."""

import io
import subprocess

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from gonghui.activities.models import Session
from gonghui.core.models import AuditEntry
from tests.console.kit import cadre

from .conftest import book, make_activity, make_worker

pytestmark = pytest.mark.django_db


def test_the_sign_in_sheet_has_the_names_in_full_and_the_print_is_audited(tree):
    activity = make_activity(tree)
    for i, name in enumerate(["张伟", "李春梅", "王建国"]):
        book(activity, make_worker(f"1350000000{i}"), name=name)
    with scopes_disabled():
        session = Session.objects.get(activity=activity)
    response = cadre(tree, "b_admin").get(f"/activities/sessions/{session.pk}/signin-sheet.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True,  # noqa: S607
                          check=True).stdout.decode()
    assert "李春梅" in text and "签到表" in text
    entry = AuditEntry.objects.get(action="activities.signin_sheet.printed")
    assert entry.data["rows"] == 3 and "李春梅" not in str(entry.data)
    assert cadre(tree, "d_admin").get(f"/activities/sessions/{session.pk}/signin-sheet.pdf").status_code in (403, 404)


def test_the_participants_export_is_in_full_for_organizers(tree):
    activity = make_activity(tree)
    book(activity, make_worker("13500000009"), name="李春梅")
    response = cadre(tree, "b_admin").get(f"/activities/{activity.pk}/participants.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "李春梅" in values and "13500000009" in values
    assert AuditEntry.objects.filter(action="activities.booking.exported_full").exists()
    assert cadre(tree, "b_viewer").get(f"/activities/{activity.pk}/participants.xlsx").status_code in (403, 404)
