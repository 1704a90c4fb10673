"""The ``gonghui`` command outside a project folder, with production variables, and the demo's guard."""

import subprocess
import sys

import pytest
from django.db import connection

from gonghui import cli
from gonghui.console.management.commands.demo import refusal


def _run(args, cwd, **env):
    base = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "LANG": "C.UTF-8", **env}
    return subprocess.run([sys.executable, "-m", "gonghui.cli", *args], cwd=cwd, env=base,  # noqa: S603
                          capture_output=True, text=True, timeout=120)


def test_outside_a_project_folder_one_clear_line_and_no_data_folder_created(tmp_path):
    result = _run(["runserver"], tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "数据目录" in lines[0] and str(tmp_path / "data") in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


def test_the_line_follows_the_site_language(tmp_path):
    result = _run(["import-members", "x.csv", "--node", "A"], tmp_path, GONGHUI_LANGUAGE="en")
    assert result.returncode == 2 and "no gonghui data folder" in result.stderr


def test_production_variables_never_fall_back_to_development_settings(tmp_path):
    result = _run(["demo", "--no-serve"], tmp_path, DATABASE_URL="postgres://gonghui@db.example/gonghui")
    assert result.returncode == 2
    assert "DJANGO_SETTINGS_MODULE=gonghui.settings.production" in result.stderr
    assert not (tmp_path / "data").exists()


def test_choose_settings_picks_development_only_with_a_data_folder(tmp_path):
    environ = {"GONGHUI_DATA_DIR": str(tmp_path)}
    with pytest.raises(SystemExit):
        cli.choose_settings("shell", environ)
    (tmp_path / "dev-keys.env").write_text("DJANGO_SECRET_KEY=x\n")
    cli.choose_settings("shell", environ)
    assert environ["DJANGO_SETTINGS_MODULE"] == cli.DEV_SETTINGS
    explicit = {"DJANGO_SETTINGS_MODULE": "gonghui.settings.production", "DATABASE_URL": "postgres://x/y"}
    cli.choose_settings("migrate", explicit)
    assert explicit["DJANGO_SETTINGS_MODULE"] == "gonghui.settings.production"


def test_the_demo_refuses_production_settings_and_a_foreign_database(settings, db):
    settings.GONGHUI_ALLOW_DEMO = False
    settings.DEBUG = False
    assert "production settings" in refusal() or "生产" in refusal()
    settings.DEBUG = True
    if connection.vendor == "sqlite":
        assert refusal() == ""
    else:  # DATABASE_URL names a server database: the demo's published password never goes there
        assert "DATABASE_URL" in refusal()
    settings.GONGHUI_ALLOW_DEMO = True
    assert refusal() == ""


def test_every_command_refuses_keys_that_are_not_the_databases(tmp_path):
    data = tmp_path / "data"
    assert _run(["migrate", "-v", "0"], tmp_path, GONGHUI_DATA_DIR=str(data)).returncode == 0
    keys = data / "dev-keys.env"
    lines = [line if not line.startswith("GONGHUI_HASH_KEY=") else
             "GONGHUI_HASH_KEY=YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXowMTIzNDU2Nzg=" for line in keys.read_text().splitlines()]
    keys.write_text("\n".join(lines) + "\n")
    result = _run(["audit-verify"], tmp_path, GONGHUI_DATA_DIR=str(data))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "GONGHUI_HASH_KEY" in result.stderr
