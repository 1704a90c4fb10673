"""The production nginx example (deploy/nginx-gonghui.conf), run by Debian's nginx as bench/cluster.py
templates it: nginx takes it without a warning, and every proxied route hands the application each
forwarding header once. (Including Debian's proxy_params and then setting X-Forwarded-For and
X-Forwarded-Proto again sent both headers twice and made nginx warn about its header hash at every
start.)"""

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import cluster

FORWARDING = ("Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto")


@pytest.fixture
def nginx_prefix(tmp_path):
    if not Path(cluster.NGINX).exists() and not shutil.which("nginx"):
        pytest.skip("nginx is not installed here (Debian: apt-get install nginx); CI installs it")
    return tmp_path / "nginx"


@pytest.fixture
def backend():
    """A stand-in app machine that records the headers of every request it receives."""
    seen = []

    class Recorder(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            seen.append((self.path, {name: self.headers.get_all(name) or [] for name in FORWARDING}))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _answer

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_nginx_takes_the_example_without_a_warning(nginx_prefix):
    nginx_prefix.mkdir(parents=True)
    conf = nginx_prefix / "nginx.conf"
    conf.write_text(cluster.nginx_config(cluster.TEMPLATE.read_text(encoding="utf-8"), [cluster.free_port()],
                                         cluster.free_port(), nginx_prefix), encoding="utf-8")
    check = subprocess.run([cluster.NGINX, "-t", "-p", str(nginx_prefix), "-c", str(conf)],  # noqa: S603 - fixed
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stderr
    assert "[warn]" not in check.stderr and "[emerg]" not in check.stderr, check.stderr


def test_every_route_forwards_each_header_once(nginx_prefix, backend):
    port, seen = backend
    nginx, listen = cluster.start_nginx([port], nginx_prefix)
    try:
        for method, path in (("POST", "/api/v1/w/courses/7/sign-up"), ("GET", "/members/import/"),
                             ("GET", "/w/courses/")):
            request = urllib.request.Request(f"http://127.0.0.1:{listen}{path}", method=method,
                                             data=b"{}" if method == "POST" else None,
                                             headers={"X-Forwarded-For": "203.0.113.9", "Host": "gonghui.test"})
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 (loopback)
                assert answer.status == 200
    finally:
        cluster.stop(nginx)
    assert [path for path, _ in seen] == ["/api/v1/w/courses/7/sign-up", "/members/import/", "/w/courses/"]
    for path, headers in seen:
        assert {name: len(values) for name, values in headers.items()} == dict.fromkeys(FORWARDING, 1), (path, headers)
        # What the client wrote is kept on the left, the address nginx saw appended on the right
        # (the application reads from the right, GONGHUI_TRUSTED_PROXY_COUNT).
        assert headers["X-Forwarded-For"] == ["203.0.113.9, 127.0.0.1"], path
        assert headers["X-Forwarded-Proto"] == ["http"], path
        assert headers["Host"] == ["gonghui.test"], path
