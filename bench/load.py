"""Load harness shared by the page benchmark and the CI load test.

- ``Server``: gunicorn serving ``jalon.wsgi`` with production settings (``JALON_ENV=production``,
  ``DEBUG`` off, static files collected in ``var/bench-static``) on a free loopback port, the Procfile's way.
- ``agent_cookie``: a logged-in session for an agent (charter accepted, second factor
  verified when required), written in the database the server reads, as a login would.
- ``database_url``: the URL of a Django connection's database, for the server (another
  process): a TCP host or the embedded server's Unix-socket directory.
- ``run_wrk``: wrk (Debian's package) replays a list of ``(path, cookie)`` requests, or of
  ``WrkRequest`` (a method, headers, a JSON body: the API's), at a fixed number of
  connections for a fixed time, and reports the latency percentiles, the throughput and
  every answer that was not a 200 (redirects count as errors: a page that sends an agent to
  the login screen has failed), or not a 2xx with ``accept_2xx``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_requests.lua"
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-deployment-0123456789"  # noqa: S105
HOST = "127.0.0.1"
STATIC_ROOT = ROOT / "var" / "bench-static"


def database_url(settings_dict: dict[str, Any], name: str | None = None) -> str:
    """``postgres://`` URL of the database a Django connection uses (``name``: another one
    on the same server), as ``jalon.core.dburl.parse_database_url`` reads it back.

    The embedded server (``jalon.embedded_db``, no ``DATABASE_URL``) listens on a Unix
    socket: its host is a directory, which a URL carries as the ``host`` parameter (in the
    authority part its slashes would be read as the path). Its ``HOST`` is only known once
    the server started, so it is asked for when still empty.
    """
    host = str(settings_dict.get("HOST") or "")
    if not host and settings_dict.get("ENGINE") == "jalon.embedded_db":
        from jalon.core.dburl import parse_database_url
        from jalon.embedded_db import database_url as embedded_url

        host = parse_database_url(embedded_url())["HOST"]
    user = quote(str(settings_dict.get("USER") or ""), safe="")
    password = quote(str(settings_dict.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    port = str(settings_dict.get("PORT") or "")
    socket_directory = host.startswith("/")
    netloc = credentials + ("" if socket_directory else host) + (f":{port}" if port else "")
    options = {
        key: value for key, value in (settings_dict.get("OPTIONS") or {}).items() if key != "host"
    }
    if socket_directory:
        options = {"host": host, **options}
    path = "/" + quote(str(name or settings_dict["NAME"]), safe="")
    return urlunsplit(("postgres", netloc, path, urlencode(options), ""))


def production_environment(database_url: str) -> dict[str, str]:
    """What the server (and a process that writes its sessions) runs with."""
    return {
        "JALON_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "JALON_SMS_PROVIDER": "dev",
        "JALON_SMS_WEBHOOK_SECRET": "bench-webhook-secret",
        "DEFAULT_FROM_EMAIL": "Jalon <ne-pas-repondre@jalon.invalid>",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "jalon.settings",
        # Not the project's staticfiles/: whitenoise scans its STATIC_ROOT whenever a
        # handler starts, which would slow every test client of the suite afterwards.
        "STATIC_ROOT": str(STATIC_ROOT),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _static_fingerprint() -> str:
    """What the collected files depend on: our static files and the pinned packages."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for path in sorted((ROOT / "jalon" / "static").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def collect_static(environment: dict[str, str]) -> None:
    """The manifest the production static storage needs (in ``var/``, ignored by git).

    Compressing the ~10,000 files takes about a minute, so it is skipped when nothing they
    depend on changed since the last collection.
    """
    folder = STATIC_ROOT
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two test processes may ask at the same time
        marker = folder / ".jalon-fingerprint"
        fingerprint = _static_fingerprint()
        if marker.exists() and marker.read_text() == fingerprint:
            return
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, **environment},
            check=True,
        )
        marker.write_text(fingerprint)


@dataclass
class Server:
    """gunicorn with ``workers`` sync workers; ``url`` once ``/livez`` answers."""

    database_url: str
    workers: int = 4
    port: int = 0
    log: Path | None = None
    collect: bool = True  # False when django_on() collected them already

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.url = f"http://{HOST}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        environment = production_environment(self.database_url)
        if self.collect:
            collect_static(environment)
        output = self.log.open("wb") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "jalon.wsgi",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                str(self.workers),
                "--backlog",
                "256",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (exit {self.process.returncode})")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{self.url}/livez", timeout=2) as answer,  # noqa: S310
            ):
                if answer.status == 200:
                    return self
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError("gunicorn did not answer /livez within 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def agent_cookie(agent: Any) -> str:
    """A session of ``agent`` as the login screen leaves it; returns the Cookie header.

    Runs in a Django process configured with the server's ``SECRET_KEY`` and database.
    """
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from jalon.access import rules

    if agent.charter_accepted_at is None:
        agent.charter_accepted_at = timezone.now()
        agent.save(update_fields=["charter_accepted_at"])
    session = SessionStore()
    session[SESSION_KEY] = str(agent.pk)
    session[BACKEND_SESSION_KEY] = "jalon.access.backends.AgentBackend"
    session[HASH_SESSION_KEY] = agent.get_session_auth_hash()
    if rules.requires_two_factor(agent):
        device, _ = TOTPDevice.objects.get_or_create(
            user=agent, name="bench", defaults={"confirmed": True}
        )
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


@dataclass(frozen=True)
class WrkRequest:
    """One request of a wrk listing beyond the pages' ``(path, cookie)``: each POST is sent
    with a fresh ``Idempotency-Key`` made by the wrk script."""

    path: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None  # JSON on one line

    def line(self) -> str:
        """The listing's line (bench/wrk_requests.lua describes the format)."""
        fields = [self.path if self.method == "GET" else f"{self.method} {self.path}"]
        fields += [f"{name}: {value}" for name, value in self.headers]
        if self.body is not None:
            if not self.body.startswith(("{", "[")):
                raise ValueError("a wrk request body is a JSON object or array")
            fields.append(self.body)
        if any("\t" in field or "\n" in field for field in fields):
            raise ValueError(f"a tab or a newline in a wrk request: {fields!r}")
        return "\t".join(fields)


def listing_line(request: tuple[str, str] | WrkRequest) -> str:
    if isinstance(request, WrkRequest):
        return request.line()
    path, cookie = request
    return f"{path}\t{cookie}"


@dataclass
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    not_ok: int  # answers other than 200
    socket_errors: int  # connect, read, write errors and timeouts
    last_bad_status: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.not_ok + self.socket_errors


def run_wrk(
    base_url: str,
    requests: Sequence[tuple[str, str] | WrkRequest],
    *,
    connections: int,
    seconds: float,
    threads: int = 1,
    timeout_seconds: int = 10,
    accept_2xx: bool = False,
) -> LoadResult:
    """Replays ``requests`` ((path, Cookie header or ""), or ``WrkRequest``) in turn on every
    connection; any answer but a 200 (any 2xx with ``accept_2xx``) is counted as not ok.

    With one thread (the default), the connections share one position in the list: each
    line is sent once until the list wraps around (the API's bookings rely on it)."""
    executable = wrk_path()
    if executable is None:
        raise RuntimeError("wrk is missing: apt-get install wrk (scripts/system-deps.sh test)")
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as listing:
        for request in requests:
            listing.write(listing_line(request) + "\n")
    try:
        completed = subprocess.run(
            [
                executable,
                f"--threads={threads}",
                f"--connections={connections}",
                f"--duration={max(1, round(seconds))}s",
                f"--timeout={timeout_seconds}s",
                f"--script={WRK_SCRIPT}",
                base_url,
            ],
            env={
                **os.environ,
                "JALON_WRK_REQUESTS": listing.name,
                "JALON_WRK_ACCEPT": "2xx" if accept_2xx else "200",
            },
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(listing.name)
    line = next(
        (row for row in completed.stdout.splitlines() if row.startswith("JALON ")),
        None,
    )
    if line is None:
        raise RuntimeError(f"wrk gave no summary:\n{completed.stdout}\n{completed.stderr}")
    data = json.loads(line.removeprefix("JALON "))
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50"] / 1000,
        p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000,
        max_ms=data["max"] / 1000,
        not_ok=data["not_ok"],
        socket_errors=data["connect"] + data["read"] + data["write"] + data["timeout"],
        last_bad_status=data["last_bad_status"],
    )


@contextlib.contextmanager
def django_on(database_url: str) -> Iterator[None]:
    """Configure Django in this process like the server (same key, same database)."""
    environment = production_environment(database_url)
    collect_static(environment)
    os.environ.update(environment)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    import django

    django.setup()
    yield
