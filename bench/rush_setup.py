"""The sign-up rush's data, made fast enough for a province-sized opening (80,000 signed-in workers
in well under a minute instead of many): ``prepare`` for ``bench/rush.py``.

- the schema: ``migrate`` runs once into a template database named after the migrations it applied
  (a hash of every installed app's migration files); each run copies that template
  (``CREATE DATABASE … TEMPLATE``, seconds) instead of replaying ~130 migrations (minutes on a
  loaded machine). A change to any migration makes a new template;
- the county, the term and the courses through the application's own services (audited, as a cadre
  makes them: a few hundred calls);
- the workers with one ``COPY``: each phone encrypted by the field's own ``get_prep_value`` (the real
  AES-GCM with the deployment's keys) beside its blind index, ids assigned in the fresh table;
- their sessions as the phone sign-in leaves them: encoded by the session store of the configured
  engine (``SESSION_ENGINE``: ``cached_db`` with Redis), one ``COPY`` into ``django_session`` and,
  for ``cached_db``, the same data in the session cache (``set_many`` in batches: a pipeline);
- each worker's signed idempotency key for one random course (``signup.issue_signup_key``) and a CSRF
  token (the cookie and the header carry the same random value, which Django's CSRF check accepts).
"""

import datetime
import hashlib
import json
import os
import random
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000


def migrations_hash() -> str:
    """What ``migrate`` would build: the installed apps' migration files, and Django's version."""
    import django
    from django.apps import apps

    digest = hashlib.sha256(django.get_version().encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        for path in sorted(Path(config.path, "migrations").glob("*.py")):
            digest.update(f"{config.label}/{path.name}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def create_database(env: dict) -> None:
    """The bench's database (dropped with its connections first: servers already running reconnect),
    copied from the migrated template, which is made first when missing."""
    import psycopg

    base, name = env["DATABASE_URL"].rsplit("/", 1)
    template = f"gh_bench_schema_{migrations_hash()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
            building = f"{template}_building_{os.getpid()}"
            conn.execute(f'CREATE DATABASE "{building}"')
            subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], cwd=ROOT, check=True,
                           env={**env, "DATABASE_URL": f"{base}/{building}"})
            with psycopg.connect(f"{base}/{building}", autocommit=True) as built:  # no keys: each copy records its own
                built.execute("DELETE FROM core_keyfingerprint")
            conn.execute(f'ALTER DATABASE "{building}" RENAME TO "{template}"')  # complete, or absent
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def copy_rows(cursor, table: str, columns: tuple[str, ...], rows) -> None:
    """One COPY of ``rows`` (inside a transaction: the settings' statement timeout is lifted for it)."""
    cursor.execute("SET LOCAL statement_timeout = 0")
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def prepare(env: dict, courses: int, seats: int, workers: int):
    """Database, data, sessions and keys; returns the activities' ids, one job per worker
    (course id, session key, CSRF token, body) and the browsing worker's (session key, CSRF token)."""
    os.environ.update(env)
    import django

    django.setup()
    create_database(env)
    from django.db import connections

    connections.close_all()  # any connection made before the database was replaced
    from gonghui.core import keycheck

    keycheck.check_keys(record=True)  # the copy records this run's keys, as a first migrate does
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from gonghui.accounts.middleware import WORKER_SESSION_KEY
    from gonghui.accounts.models import User, Worker
    from gonghui.activities.services import catalogue, signup
    from gonghui.core.crypto import blind_index
    from gonghui.core.scoping import scopes_disabled
    from gonghui.core.sessions import SAVED_AT
    from gonghui.orgs import services as orgs
    from gonghui.orgs.models import NodeKind
    from gonghui.privacy import services as privacy

    call_command("collectstatic", verbosity=0, interactive=False)
    with scopes_disabled():
        root = orgs.create_root(name="青山县总工会", kind=NodeKind.COUNTY, region_code="330524", region_name="青山县")
        actor = User.objects.create_superuser(username="bench", password="x-Bench-2026!")
        term = catalogue.create_term(node=root, actor=actor, name="2026年秋季公益课程", per_person_limit=2)
        now = timezone.now()
        start = now + datetime.timedelta(days=14)
        kinds = ["舞蹈", "声乐", "摄影", "插花", "围棋", "茶艺", "书法", "瑜伽", "烘焙", "朗诵"]
        activities = []
        for i in range(courses):
            a = catalogue.create_activity(
                node=root, actor=actor, term=term, title=f"{kinds[i % len(kinds)]}班（{i // len(kinds) + 1}）",
                audience="all", venue_text="青山县职工文化宫", starts_at=start,
                ends_at=start + datetime.timedelta(hours=2), capacity=seats,
                signup_opens_at=now + datetime.timedelta(seconds=1), signup_closes_at=start - datetime.timedelta(days=1))
            activities.append(catalogue.publish_activity(activity=a, actor=actor))

    # Workers 1 … workers + 1 (the last one browses the course page), into the fresh, empty table.
    phone_field = Worker._meta.get_field("phone")
    ids = range(1, workers + 2)
    with transaction.atomic(), connection.cursor() as cur:
        copy_rows(cur.cursor, Worker._meta.db_table, ("id", "phone", "phone_hash", "created_at"),
                  ((i, phone_field.get_prep_value(f"139{i:08d}"), blind_index(f"139{i:08d}", purpose="phone"), now)
                   for i in ids))
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Worker._meta.db_table, ids[-1]])
    with scopes_disabled():
        privacy.accept_notice(actor=Worker.objects.get(pk=ids[-1]))  # the browsing worker accepted the notice

    # Signed in a moment ago, as the phone sign-in leaves it (gonghui.core.sessions).
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    saved, expires = int(timezone.now().timestamp()), timezone.now() + datetime.timedelta(hours=2)
    keys = [secrets.token_hex(16) for _ in ids]
    data = [{WORKER_SESSION_KEY: i, SAVED_AT: saved} for i in ids]
    with transaction.atomic(), connection.cursor() as cur:
        copy_rows(cur.cursor, store.model._meta.db_table, ("session_key", "session_data", "expire_date"),
                  ((key, store.encode(d), expires) for key, d in zip(keys, data, strict=True)))
    if settings.SESSION_ENGINE.endswith("cached_db"):  # the sign-in left each session in Redis too
        from django.contrib.sessions.backends.cached_db import KEY_PREFIX
        from django.core.cache import caches

        cache = caches[settings.SESSION_CACHE_ALIAS]
        for at in range(0, len(keys), BATCH):
            cache.set_many({KEY_PREFIX + key: d for key, d in zip(keys[at:at + BATCH], data[at:at + BATCH], strict=True)},
                           timeout=7200)

    rng = random.Random(7)
    jobs = []
    for i, key in zip(ids[:-1], keys[:-1], strict=True):
        activity = rng.choice(activities)
        jobs.append((activity.pk, key, secrets.token_hex(16),
                     json.dumps({"key": signup.issue_signup_key(activity=activity, worker=Worker(pk=i)), "name": "王强"},
                                ensure_ascii=False).encode()))
    browsing = (keys[-1], secrets.token_hex(16))
    return [a.pk for a in activities], jobs, browsing
