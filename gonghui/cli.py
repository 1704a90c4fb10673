"""The ``gonghui`` command: Django's management commands, with the project's defaults.

    gonghui demo [--port 8000] [--no-serve]     migrate, load the demo county, print logins, serve
    gonghui serve [--port 8000]                 serve the console and worker pages
    gonghui audit-verify                        check the audit log's hash chain
    gonghui <any django command>                e.g. migrate, createsuperuser, shell
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gonghui", *argv[1:]])


if __name__ == "__main__":
    main()
