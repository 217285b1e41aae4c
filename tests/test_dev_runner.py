"""`make run`'s runner: embedded database, web and worker up; Ctrl-C stops all three."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(port: int) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
    except OSError:
        return None


def _postgres_running(pgdata: Path) -> bool:
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_run_serves_web_and_worker_then_stops_everything(tmp_path):
    port = _free_port()
    pgdata = tmp_path / "pgdata"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"JALON_PGDATA": str(pgdata), "PORT": str(port), "JALON_ENV": "development"})
    process = subprocess.Popen(
        [sys.executable, "-m", "jalon.dev"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        health = None
        while time.monotonic() < deadline:
            health = _health(port)
            if health and health["checks"] == {"database": "ok", "worker": "ok"}:
                break
            time.sleep(1)
        assert health == {"status": "ok", "checks": {"database": "ok", "worker": "ok"}}
        assert _postgres_running(pgdata)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert "Password for every demo agent" in output and "admin.spip@jalon.test" in output
    assert f"http://127.0.0.1:{port}/" in output
    assert "Embedded PostgreSQL stopped." in output
    assert not _postgres_running(pgdata)
    assert _health(port) is None
