"""An import's errors are all reachable: the API pages through every one with their count, the command
prints the first and says where the rest are; a long file name is shortened visibly, not cut."""

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation
from django_scopes import scopes_disabled

from gonghui.accounts.services import create_api_token
from gonghui.members.limits import IMPORT_ERRORS_PAGE, IMPORT_ERRORS_PRINTED
from gonghui.members.models import Member

pytestmark = pytest.mark.django_db
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"


def bad_roster(rows: int) -> bytes:
    """A roster whose every row has an ID number that is no ID number (row n of the file is data row n-1)."""
    names = [SURNAMES[i % len(SURNAMES)] + SURNAMES[(i // len(SURNAMES)) % len(SURNAMES)] + "明" for i in range(rows)]
    return ("姓名,身份证号\n" + "".join(f"{name},12345{i}\n" for i, name in enumerate(names))).encode()


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {create_api_token(user=user, name='t')[1]}"}


def test_the_api_pages_through_every_error_of_an_import_with_their_count(client, tree, tmp_path):
    rows = IMPORT_ERRORS_PAGE + 30
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bad_roster(rows))
    headers = auth(tree.user("b_clerk"))
    with roster.open("rb") as fh:
        staged = client.post("/api/v1/imports", {"node_id": tree.c.pk, "file": fh}, **headers)
    assert staged.status_code == 201, staged.content
    body = staged.json()
    assert body["error_count"] == rows and len(body["errors"]) == IMPORT_ERRORS_PAGE
    token = body["token"]
    assert client.get(f"/api/v1/imports/{token}", **headers).json()["error_count"] == rows
    first = client.get(f"/api/v1/imports/{token}/errors", **headers).json()
    last = client.get(f"/api/v1/imports/{token}/errors?page=2", **headers).json()
    assert first["count"] == last["count"] == rows
    listed = [e["row"] for e in first["items"] + last["items"]]
    assert len(listed) == rows and len(set(listed)) == rows
    assert max(listed) == rows + 1  # the last row of the file, past the old cap of 200
    # another user's import is no more reachable through its errors than through itself
    assert client.get(f"/api/v1/imports/{token}/errors", **auth(tree.user("b_admin"))).status_code == 404
    with scopes_disabled():
        assert not Member.objects.exists()


def test_a_long_file_name_is_shortened_visibly_keeping_its_extension(client, tree, tmp_path):
    long_name = "职工花名册" * 30 + ".csv"  # 154 characters: a chat app's download name
    roster = tmp_path / "r.csv"
    roster.write_bytes(bad_roster(1))
    with roster.open("rb") as fh:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(long_name, fh.read(), content_type="text/csv")
    body = client.post("/api/v1/imports", {"node_id": tree.c.pk, "file": upload}, **auth(tree.user("b_clerk"))).json()
    assert len(body["filename"]) == 100
    assert body["filename"].startswith("职工花名册") and body["filename"].endswith("….csv")


def test_the_command_says_how_many_more_errors_and_where_they_all_are(tree, tmp_path, capsys):
    rows = IMPORT_ERRORS_PRINTED + 5
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bad_roster(rows))
    with translation.override("zh-hans"):
        call_command("import_members", str(roster), node=tree.c.code, no_progress=True)
    out = capsys.readouterr().out
    report = tmp_path / "roster.errors.xlsx"
    assert str(report) in out and "5" in out and str(rows) in out
    assert out.count("\n") >= IMPORT_ERRORS_PRINTED
    sheet = openpyxl.load_workbook(report).active
    cells = {str(c.value) for row in sheet.iter_rows() for c in row}
    assert str(rows + 1) in cells  # the last row's error is in the report, past the printed 20
    with scopes_disabled():
        assert not Member.objects.exists()


def test_the_command_writes_the_report_where_it_is_told(tree, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bad_roster(IMPORT_ERRORS_PRINTED + 1))
    report = tmp_path / "all.xlsx"
    call_command("import_members", str(roster), node=tree.c.code, no_progress=True, errors=str(report))
    out = capsys.readouterr().out
    assert report.exists() and str(report) in out
    assert not (tmp_path / "roster.errors.xlsx").exists()


def test_a_command_with_few_errors_prints_them_all_and_writes_no_report(tree, tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(bad_roster(3))
    call_command("import_members", str(roster), node=tree.c.code, no_progress=True)
    out = capsys.readouterr().out
    assert all(f" {n}," in out or f"{n}行" in out or f"第 {n} 行" in out or f"row {n}" in out for n in (2, 3, 4))
    assert "…" not in out  # nothing left unprinted
    assert not (tmp_path / "roster.errors.xlsx").exists()
