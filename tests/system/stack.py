"""Real processes for cross-process tests: a throwaway database, `manage.py` commands, the dev
server as `make serve` starts it (with its scheduler), gunicorn with production settings, Redis.

Nothing here shares memory with the test process: every change is made by another process (an
import, a shell, the scheduler) and observed over HTTP, as in production.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import psycopg
import pytest
import requests

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.2, what: str = "condition"):
    """Call ``check`` until it returns a truthy value; that value, or AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (requests.ConnectionError, requests.Timeout) as error:
            last = error
        else:
            if last:
                return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


@contextmanager
def throwaway_database():
    """A database URL no other test uses: a SQLite file, or a new database on the PostgreSQL
    server that ``DATABASE_URL`` names (dropped afterwards)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith(("postgres://", "postgresql://")):
        folder = tempfile.mkdtemp(prefix="kepu-system-db-")
        try:
            yield f"sqlite:///{folder}/db.sqlite3"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    parsed = urlparse(configured)
    name = f"kepu_system_{uuid.uuid4().hex[:8]}"
    admin_url = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parsed._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Stack:
    """Environment and commands for one set of processes sharing a database and a cache."""

    def __init__(self, env: dict):
        self.env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
        self.env.pop("CI_TEST_DJANGO_DB", None)

    def manage(self, *args, input_text: str | None = None, timeout: float = 300) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            input=input_text,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    def shell(self, code: str) -> str:
        """Run Python in a separate `manage.py shell` process (an operator's or a worker's change)."""
        return self.manage("shell", "-c", code)

    def import_lines(self, lines: list[dict]) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
            for line in lines:
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        try:
            return self.manage("import_content", handle.name)
        finally:
            os.unlink(handle.name)

    def create_screen(self, *, district: str, audiences: str = "elderly") -> tuple[int, str]:
        out = self.manage(
            "create_screen",
            "--name",
            f"跨进程测试大屏 {uuid.uuid4().hex[:6]}",
            "--district",
            district,
            "--audiences",
            audiences,
        )
        screen_id = int(re.search(r"^id: (\d+)$", out, re.M).group(1))
        token = re.search(r"^token: (\S+)$", out, re.M).group(1)
        return screen_id, token


@contextmanager
def process(args: list, *, env: dict, log: Path, ready_url: str | None, timeout: float = 60):
    """Start ``args`` in its own process group; yield once ``ready_url`` answers (or, without one,
    once it has stayed up for a second); kill the group after."""
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:

        def ready():
            if proc.poll() is not None:
                raise AssertionError(
                    f"{args[0]} exited with {proc.returncode}:\n{log.read_text(errors='replace')}"
                )
            if ready_url is None:
                time.sleep(1)
                return proc.poll() is None
            return requests.get(ready_url, timeout=2).status_code < 500

        wait_until(ready, timeout=timeout, what=f"{ready_url or args[0]} to be up")
        yield proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)


@contextmanager
def redis_server(folder: Path):
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def up():
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")

        wait_until(lambda: _quiet(up), timeout=15, what="redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)


def _quiet(check):
    try:
        return check()
    except OSError:
        return False
