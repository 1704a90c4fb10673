"""The ``gonghui`` command: Django's management commands, with the project's defaults.

    gonghui demo [--port 8000] [--no-serve]     migrate, load the demo county, print logins, serve
                                                (with a worker process beside it that sends the messages)
    gonghui worker                              send queued messages, run the periodic jobs (docs/messaging.md)
    gonghui runserver [ADDRESS:PORT]            serve (development)
    gonghui create-admin --node CODE            the first administrator of a union (a county)
    gonghui import-members FILE --node CODE     import a roster
    gonghui audit-verify                        check the audit log and the money ledgers
    gonghui backup [--to DIR] / restore FILE    a consistent snapshot of the database and uploads
    gonghui <any django command>                e.g. migrate, check, shell

Without ``DJANGO_SETTINGS_MODULE`` the development settings are used, with the data folder
``./data`` (or ``GONGHUI_DATA_DIR``). Two guards keep a mistake from doing harm:
- with production variables in the environment (``DATABASE_URL``, ``DJANGO_SECRET_KEY``) the
  command never falls back to development settings; it asks for ``DJANGO_SETTINGS_MODULE``;
- a command that needs the data folder, run where there is none, says so in one line instead of
  quietly creating an empty ``./data`` with new keys;
- keys that are malformed or not the ones the database's data was written with stop every command
  (but help, check, restore, and migrate on an empty database) with one line naming the key.
"""

import os
import sys
from pathlib import Path

DEV_SETTINGS = "gonghui.settings.dev"
# Commands that may run before a data folder exists (they create it, or need none).
NEEDS_NO_DATA = {"demo", "migrate", "restore", "help", "version", "check", "makemessages", "compilemessages",
                 "collectstatic", "diffsettings", "--help", "-h", "--version"}

MESSAGES = {
    "zh-hans": {
        "production_env": "环境中设置了 {names}，但没有设置 DJANGO_SETTINGS_MODULE：生产环境请设置 "
                          "DJANGO_SETTINGS_MODULE=gonghui.settings.production（开发环境请明确设置 "
                          "DJANGO_SETTINGS_MODULE=gonghui.settings.dev）。",
        "no_data": "这里没有 gonghui 的数据目录（{path}）：请在项目目录中运行，或用 GONGHUI_DATA_DIR 指定数据目录；"
                   "第一次使用请先运行 gonghui demo 或 gonghui migrate。",
    },
    "en": {
        "production_env": "{names} is set in the environment but DJANGO_SETTINGS_MODULE is not: set "
                          "DJANGO_SETTINGS_MODULE=gonghui.settings.production for production (or "
                          "DJANGO_SETTINGS_MODULE=gonghui.settings.dev, explicitly, for development).",
        "no_data": "There is no gonghui data folder here ({path}): run the command in the project folder, or name "
                   "the folder with GONGHUI_DATA_DIR; on the first run, start with gonghui demo or gonghui migrate.",
    },
}


def language() -> str:
    """The site's language (GONGHUI_LANGUAGE, Simplified Chinese by default), for lines printed
    before Django has started."""
    wanted = os.environ.get("GONGHUI_LANGUAGE", "zh-hans").lower()
    return "en" if wanted.startswith("en") else "zh-hans"


def say(key: str, **values) -> str:
    return MESSAGES[language()][key].format(**values)


def refuse(message: str) -> None:
    sys.stderr.write(message + "\n")
    raise SystemExit(2)


def choose_settings(command: str, environ=os.environ) -> None:
    """Pick the settings module, or refuse with one line (see the module's docstring)."""
    if environ.get("DJANGO_SETTINGS_MODULE"):
        return
    production = [name for name in ("DATABASE_URL", "DJANGO_SECRET_KEY") if environ.get(name)]
    if production:
        refuse(say("production_env", names=", ".join(production)))
    data_dir = Path(environ.get("GONGHUI_DATA_DIR", Path.cwd() / "data")).resolve()
    if command not in NEEDS_NO_DATA and not (data_dir / "dev-keys.env").exists():
        refuse(say("no_data", path=data_dir))
    environ["DJANGO_SETTINGS_MODULE"] = DEV_SETTINGS


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    command = argv[1] if len(argv) > 1 else "help"
    choose_settings(command)
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        refuse(str(error))
    from django.core.management import execute_from_command_line

    from gonghui.core.keycheck import refuse_to_run_with_wrong_keys

    # Keys that do not belong to this database's data: one line naming the key, nothing run.
    refuse_to_run_with_wrong_keys(argv)
    execute_from_command_line(["gonghui", *argv[1:]])


def start_demo_worker():
    """``gonghui demo`` serves with one worker process beside it (the outbox's sender), so that the
    demo works with one command; the demo starts it once the database is migrated and loaded (no
    worker polling a database being built), and it stops with the server."""
    import signal
    import subprocess

    # A SIGTERM to the demo stops the server through the ``finally`` that stops the worker; and the
    # worker stops by itself when its parent is gone (GONGHUI_WORKER_PARENT), whatever killed it.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    env = {**os.environ, "GONGHUI_WORKER_PARENT": str(os.getpid())}
    return subprocess.Popen([sys.executable, "-m", "gonghui", "worker"], env=env)  # noqa: S603


def stop_demo_worker(worker) -> None:
    if worker is None:
        return
    import subprocess

    worker.terminate()
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


if __name__ == "__main__":
    main()
