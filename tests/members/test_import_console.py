"""The console's import: upload → preview → error report → confirm → result, within the clerk's scope."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core.models import AuditEntry
from gonghui.members.models import Member

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def _stage_dir(settings, tmp_path):
    settings.GONGHUI_IMPORT_DIR = tmp_path / "imports"
    return settings.GONGHUI_IMPORT_DIR


@pytest.fixture
def clerk(client, tree):
    client.force_login(tree.user("b_clerk"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def upload(client, name, node):
    with open(DATA / name, "rb") as f:
        return client.post(reverse("members:import"), {"file": f, "node": node.pk})


def members() -> int:
    with scopes_disabled():
        return Member.objects.count()


def test_upload_preview_confirm(clerk, tree, _stage_dir):
    page = clerk.get(reverse("members:import"))
    html = page.content.decode()
    assert page.status_code == 200 and tree.b.name in html and tree.c.name in html and tree.d.name not in html
    response = upload(clerk, "roster_enterprise.xlsx", tree.c)
    assert response.status_code == 302
    preview = clerk.get(response.url)
    html = preview.content.decode()
    assert preview.status_code == 200 and "new members" in html and ">24<" in html
    assert members() == 0  # nothing is written before the confirmation
    staged = list(_stage_dir.iterdir())
    assert len(staged) == 1 and "330521" not in staged[0].read_text()  # sealed: no ID numbers in clear
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    result = clerk.post(reverse("members:import_confirm", args=[token]))
    assert result.status_code == 200 and "24 rows processed" in result.content.decode()
    assert members() == 24
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="members.import").count() == 1
    again = clerk.post(reverse("members:import_confirm", args=[token]))  # a double submit
    assert again.status_code == 409 and "already been carried out" in again.content.decode()
    assert members() == 24


def test_preview_lists_errors_and_the_report_downloads(clerk, tree):
    response = upload(clerk, "roster_defects.xlsx", tree.b)
    html = clerk.get(response.url).content.decode()
    assert "rows with errors" in html and "Unknown education level" in html
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    report = clerk.get(reverse("members:import_errors", args=[token]))
    assert report.status_code == 200 and report["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert len(rows) == 21
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="members.import.error_report").count() == 1
    clerk.post(reverse("members:import_confirm", args=[token]))
    assert members() == 6


def test_reimport_through_the_console_finds_nothing_to_do(clerk, tree):
    first = upload(clerk, "roster_enterprise.xlsx", tree.c)
    clerk.post(reverse("members:import_confirm", args=[first.url.rstrip("/").rsplit("/", 1)[1]]))
    second = upload(clerk, "roster_enterprise.xlsx", tree.c)
    html = clerk.get(second.url).content.decode()
    assert "nothing to import" in html
    clerk.post(reverse("members:import_confirm", args=[second.url.rstrip("/").rsplit("/", 1)[1]]))
    assert members() == 24


def test_a_node_outside_the_scope_is_refused(clerk, tree, _stage_dir):
    response = upload(clerk, "roster_enterprise.xlsx", tree.d)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert members() == 0
    assert not _stage_dir.exists() or not any(_stage_dir.iterdir())


def test_a_disguised_file_gets_its_message_on_the_form(clerk, tree):
    response = upload(clerk, "fake_html.xlsx", tree.c)
    assert response.status_code == 200 and "web page" in response.content.decode()
    assert members() == 0


def test_the_size_cap_is_checked_before_reading(clerk, tree, settings):
    settings.GONGHUI_IMPORT_MAX_BYTES = 1000
    response = upload(clerk, "roster_enterprise.xlsx", tree.c)
    assert response.status_code == 200 and "larger than" in response.content.decode()


def test_someone_elses_preview_is_not_found(clerk, client, tree):
    response = upload(clerk, "roster_enterprise.xlsx", tree.c)
    token = response.url.rstrip("/").rsplit("/", 1)[1]
    client.force_login(tree.user("b_admin"))
    assert client.get(response.url).status_code == 404
    assert client.post(reverse("members:import_confirm", args=[token])).status_code == 404
    assert client.get(reverse("members:import_errors", args=[token])).status_code == 404
    assert client.get(reverse("members:import_preview", args=["x" * 32])).status_code == 404
    assert members() == 0


def test_a_viewer_cannot_import(client, tree):
    client.force_login(tree.user("b_viewer"))
    assert client.get(reverse("members:import")).status_code == 403
