"""A web import whose process died mid-run (issue 17, finding 7): the staged file is left ``.running``;
the retry resumes from it and imports each row exactly once, while a run still in progress is
told apart (its lock is held) and never run twice."""

import fcntl
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from gonghui.core.errors import DomainError
from gonghui.members.models import Member
from gonghui.members.services import importing

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(autouse=True)
def _stage_dir(settings, tmp_path):
    settings.GONGHUI_IMPORT_DIR = tmp_path / "imports"
    return settings.GONGHUI_IMPORT_DIR


@pytest.fixture
def staged(tree):
    data = (DATA / "roster_enterprise.xlsx").read_bytes()
    with scopes_disabled():
        return importing.stage_import(data=data, filename="roster_enterprise.xlsx", node=tree.c,
                                      actor=tree.user("b_clerk"))


def _members() -> int:
    with scopes_disabled():
        return Member.objects.count()


def _crash(stage_dir: Path, token: str) -> None:
    """What a killed worker leaves: the claimed file renamed to .running, its lock gone with the process,
    its one transaction rolled back (nothing written)."""
    os.rename(stage_dir / f"{token}.json", stage_dir / f"{token}.running")


def test_a_crashed_import_is_resumed_and_imports_each_row_once(staged, tree, _stage_dir):
    _crash(_stage_dir, staged.token)
    with scopes_disabled():
        done = importing.commit_staged_import(token=staged.token, actor=tree.user("b_clerk"), node=tree.c)
    assert done.state == "done" and done.counts["new"] == 24
    assert _members() == 24
    with scopes_disabled(), pytest.raises(DomainError) as again:
        importing.commit_staged_import(token=staged.token, actor=tree.user("b_clerk"), node=tree.c)
    assert again.value.code == "import_done"
    assert _members() == 24


def test_the_confirm_page_after_a_crash_runs_the_import(client, staged, tree, _stage_dir):
    _crash(_stage_dir, staged.token)
    client.force_login(tree.user("b_clerk"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    preview = client.get(reverse("members:import_preview", args=[staged.token]))
    assert preview.status_code == 200
    result = client.post(reverse("members:import_confirm", args=[staged.token]))
    assert result.status_code == 200 and "24 rows processed" in result.content.decode()
    assert _members() == 24


def test_an_import_still_running_is_not_run_twice(staged, tree, _stage_dir):
    _crash(_stage_dir, staged.token)
    running = _stage_dir / f"{staged.token}.running"
    fd = os.open(running, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the live run holds its lock
        with scopes_disabled(), pytest.raises(DomainError) as busy:
            importing.commit_staged_import(token=staged.token, actor=tree.user("b_clerk"), node=tree.c)
        assert busy.value.code == "import_running"
    finally:
        os.close(fd)
    assert _members() == 0 and running.exists()
