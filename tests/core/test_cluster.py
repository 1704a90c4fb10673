"""Two app machines behind nginx (issue 21, item 4): nothing a request needs is kept in one app
process. Two gunicorn servers of gonghui run behind Debian's nginx with the production example
(deploy/nginx-gonghui.conf, templated for the ports by bench/cluster.py); a rate limit counts a
client's requests over both machines, and a session opened on one is honoured by the other."""

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from bench import cluster
from gonghui.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)  # the servers read what this test commits

PASSWORD = "Cluster-2026-gonghui!"


@pytest.fixture(scope="module")
def machines(tmp_path_factory, django_db_setup):
    """Two app servers and nginx, started once for the module (the servers read what each test
    commits; the test database is emptied between tests, they reconnect)."""
    from django.conf import settings

    tmp_path = tmp_path_factory.mktemp("cluster")
    if not Path(cluster.NGINX).exists() and not shutil.which("nginx"):
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx); CI installs it")
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share this test's database only through a database server: the SQLite "
                    "test database lives in this process's memory (run with DATABASE_URL=postgres://…)")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14").ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("this test needs the Redis server at 127.0.0.1:6379 (.ci/run starts it)")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    # The machines hold the keys this database was written with (the test settings' ones).
    env = cluster.cluster_env(url, GONGHUI_DATA_DIR=str(tmp_path / "data"), GONGHUI_CLAIM_TRACK_FAILURES_PER_HOUR="4",
                              DJANGO_SECRET_KEY=settings.SECRET_KEY,
                              GONGHUI_FIELD_KEYS=",".join(settings.GONGHUI_FIELD_KEYS),
                              GONGHUI_HASH_KEY=settings.GONGHUI_HASH_KEY,
                              GONGHUI_QR_SIGNING_KEY=settings.GONGHUI_QR_SIGNING_KEY,
                              GONGHUI_AUDIT_SIGNING_KEY=settings.GONGHUI_AUDIT_SIGNING_KEY)
    # Production serves hashed static names from a manifest: collected once, as a deployment does.
    subprocess.run([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"], env=env, check=True,
                   cwd=cluster.ROOT)
    apps, nginx = [], None
    try:
        apps = [cluster.start_app(env, 1) for _ in range(2)]
        nginx, port = cluster.start_nginx([p for _, p in apps], tmp_path / "nginx")
        yield port, {f"127.0.0.1:{p}" for _, p in apps}
    finally:
        cluster.stop(nginx, *(p for p, _ in apps))


def test_a_rate_limit_counts_one_client_over_both_machines(machines):
    port, addresses = machines
    statuses, answered_by = cluster.wrong_codes_until_refused(port, 4)
    # Four wrong codes pass (two on each machine), the fifth is refused, whichever machine takes it:
    # per-process counters would have let each machine take four.
    assert statuses == [404, 404, 404, 404, 429]
    assert set(answered_by) == addresses


def test_a_session_opened_on_one_machine_is_valid_on_the_other(machines):
    port, addresses = machines
    username = f"cluster-{uuid.uuid4().hex[:8]}"
    # Hashed as the servers' production settings read it (the test settings' fast hasher is not theirs).
    User.objects.create(username=username, password=PBKDF2PasswordHasher().encode(PASSWORD, "clustersalt", 1000))
    seen = cluster.session_across_machines(port, username, PASSWORD)
    assert {machine for machine, _ in seen} == addresses
    assert all(status == 200 for _, status in seen), seen
    # Without the session the same page sends the visitor to sign in.
    anonymous = cluster.Browser(port, "198.51.100.1")
    assert anonymous.request(cluster.SIGNED_IN_PAGE)[0] == 302


def test_the_sign_up_route_has_its_own_pool_in_the_templated_example(tmp_path):
    """bench/cluster.py runs the example's two pools: the sign-up's upstream gets its ports, the
    site's and the import's the other pool's (before, one pool served every upstream, so the course
    page queued behind a rush)."""
    import re

    text = cluster.nginx_config(cluster.TEMPLATE.read_text(encoding="utf-8"),
                                {"gonghui_signup": [7001, 7002], "gonghui_site": [7003, 7004]}, 7000, tmp_path)
    ports = {name: re.findall(r"server 127\.0\.0\.1:(\d+)", body)
             for name, body in re.findall(r"upstream (\w+) \{(.*?)\}", text, flags=re.S)}
    assert ports == {"gonghui_site": ["7003", "7004"], "gonghui_import": ["7003", "7004"],
                     "gonghui_signup": ["7001", "7002"]}
    sign_up = re.search(r"location ~ \^/\(api/v1/w/courses.*?proxy_pass http://(\w+);", text, flags=re.S)
    assert sign_up and sign_up.group(1) == "gonghui_signup"
