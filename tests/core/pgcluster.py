"""A private PostgreSQL primary and a ``pg_basebackup -R`` streaming replica on free loopback ports.

PostgreSQL refuses to run as root, and tests run as root in CI: the servers then run as the
``postgres`` system user (its data folders in a temporary folder it owns). Unsafe but fast settings
(no fsync): the cluster lives for one test module and is thrown away.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

CONF = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 30
shared_buffers = 16MB
log_min_messages = warning
"""


def binaries() -> Path | None:
    """The newest installed PostgreSQL's bin folder with initdb and pg_basebackup, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_basebackup"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def runnable() -> str | None:
    """Why no cluster can be started here, or None."""
    if binaries() is None:
        return "PostgreSQL's server binaries (initdb, pg_basebackup) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' system user to run the servers as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, bin_dir: Path):
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="gonghui-replica-"))
        self.primary_dir, self.replica_dir = self.root / "primary", self.root / "replica"
        self.primary_port, self.replica_port = _free_port(), _free_port()
        self.user = None
        self._cloning: threading.Thread | None = None
        self._clone_error: Exception | None = None
        if os.geteuid() == 0:
            self.user = pwd.getpwnam("postgres")
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        os.chmod(self.root, 0o700)

    def url(self, which: str, database: str = "postgres") -> str:
        port = self.primary_port if which == "primary" else self.replica_port
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def _run(self, *args, check=True, timeout=60):
        kwargs = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []} if self.user else {}
        return subprocess.run([str(self.bin / args[0]), *map(str, args[1:])], check=check, timeout=timeout,  # noqa: S603
                               capture_output=True, text=True, cwd=self.root, **kwargs)

    def _start(self, data: Path, port: int) -> None:
        self._run("pg_ctl", "start", "-w", "-t", "30", "-D", data, "-l", data.with_suffix(".log"),
                  "-o", f"-p {port}")

    def start(self) -> None:
        """The primary now; the replica is cloned from it in a thread (``wait_for_replica``), while
        the caller builds its tables on the primary — they reach the replica by streaming."""
        self._run("initdb", "-D", self.primary_dir, "-U", "postgres", "--auth=trust", "--no-sync",
                  "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.primary_dir / "postgresql.conf", "a") as conf:
            conf.write(CONF.format(sockets=self.root))
        self._start(self.primary_dir, self.primary_port)
        self._cloning = threading.Thread(target=self._clone, name="pg_basebackup")
        self._cloning.start()

    def _clone(self) -> None:
        try:
            self._run("pg_basebackup", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres",
                      "-D", self.replica_dir, "-R", "-X", "stream", "-c", "fast", "--no-sync")
            self.start_replica()
        except Exception as exc:  # noqa: BLE001 (reported by wait_for_replica)
            self._clone_error = exc

    def wait_for_replica(self) -> None:
        self._cloning.join(timeout=60)
        if self._clone_error is not None:
            raise RuntimeError(f"the replica did not start: {getattr(self._clone_error, 'stderr', '')}") \
                from self._clone_error

    def start_replica(self) -> None:
        self._start(self.replica_dir, self.replica_port)

    def stop_replica(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", self.replica_dir)

    def replica_sql(self, sql: str) -> str:
        return self._run("psql", "-h", "127.0.0.1", "-p", self.replica_port, "-U", "postgres",
                         "-tAc", sql).stdout.strip()

    def wait_for_replay(self, timeout: float = 10.0) -> None:
        """Until the replica has replayed everything the primary wrote so far."""
        lsn = self._run("psql", "-h", "127.0.0.1", "-p", self.primary_port, "-U", "postgres", "-tAc",
                        "SELECT pg_current_wal_lsn()").stdout.strip()
        deadline = time.monotonic() + timeout
        while self.replica_sql(f"SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn") != "t":
            if time.monotonic() > deadline:
                raise TimeoutError(f"the replica did not replay up to {lsn} in {timeout} s")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._cloning is not None:
            self._cloning.join(timeout=60)
        for data in (self.replica_dir, self.primary_dir):
            if (data / "postmaster.pid").exists():
                self._run("pg_ctl", "stop", "-w", "-m", "immediate", "-D", data, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
