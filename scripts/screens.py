"""Screenshots of each role's home page on the demo data, into ``docs/screens/``.

Run: ``.venv/bin/python scripts/screens.py [--out docs/screens] [--keep]`` (``make screens``).
It builds a throwaway database ``jalon_screens`` on the server of ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/``, as ``make bench``), migrates it and loads the demo
(``manage.py load_demo``, the data ``make run`` serves), starts the development server on a
loopback port as ``make run`` does, opens a session for each demo agent below as the login
screen would (``bench/load.py``), and takes a 1280-pixel-wide PNG of their home page with
Playwright and Debian's Chromium. The database is dropped at the end unless ``--keep``.

The demo's dates follow the day it is loaded, so the pictures show that day.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.identity import SERVER_URL, admin_sql  # noqa: E402
from bench.load import HOST, agent_cookie, free_port  # noqa: E402

DATABASE = "jalon_screens"
WIDTH = 1280
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# File name, demo login, what the page shows (for the report).
SCREENS = [
    ("home-cpip.png", "cpip@jalon.test", "CPIP: convocations du jour et de la semaine, mes personnes"),
    ("home-bex.png", "bex@jalon.test", "BEX: sorties d’audience du jour, décisions à exécuter"),
    ("home-parquet.png", "parquet@jalon.test", "Parquet: revues en retard, évènements, réunion"),
    ("home-jaf.png", "jaf.tj@jalon.test", "JAF: revues en retard, évènements, réunion"),
    ("home-jap.png", "jap@jalon.test", "JAP: convocations du jour et de la semaine"),
    ("home-dpip.png", "dpip@jalon.test", "DPIP: indicateurs du service, convocations"),
    ("home-admin-local.png", "admin.spip@jalon.test", "Administrateur local: tuiles"),
]  # fmt: skip


def environment(database_url: str) -> dict[str, str]:
    """The development settings ``make run`` uses, on the screens' database."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "jalon.settings",
        "DEBUG": "1",
        "JALON_ENV": "development",
        "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
    }


@contextlib.contextmanager
def server(database_url: str) -> Iterator[str]:
    """``manage.py runserver`` on a free loopback port; its URL once ``/livez`` answers."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"],
        cwd=ROOT,
        env={**os.environ, **environment(database_url)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped at start (exit {process.returncode})")
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(f"{url}/livez", timeout=2) as answer,  # noqa: S310
            ):
                if answer.status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer /livez within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def prepare() -> str:
    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DATABASE}"')
    url = urlunsplit(SERVER_URL._replace(path=f"/{DATABASE}"))
    for command in (["migrate", "-v0"], ["load_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env={**os.environ, **environment(url)},
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return url


def cookies() -> dict[str, str]:
    """A session per demo login (the ``jalon_session=…`` value)."""
    from jalon.access.models import Agent

    agents = {agent.email: agent for agent in Agent.objects.filter(email__endswith="@jalon.test")}
    return {
        email: agent_cookie(agents[email]).split("=", 1)[1]
        for _, email, _ in SCREENS
        if email in agents
    }


def shoot(server_url: str, sessions: dict[str, str], out: Path) -> list[Path]:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for name, email, _ in SCREENS:
                if email not in sessions:
                    print(f"skipped {name}: no demo agent {email}")
                    continue
                context = browser.new_context(
                    base_url=server_url, locale="fr-FR", viewport={"width": WIDTH, "height": 900}
                )
                context.add_cookies(
                    [
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": sessions[email],
                            "url": server_url,
                        }
                    ]
                )
                page = context.new_page()
                response = page.goto("/")
                if response is None or response.status != 200:
                    raise RuntimeError(
                        f"{email}: home page answered {response and response.status}"
                    )
                page.wait_for_selector("h1:has-text('Bonjour')")
                page.wait_for_load_state("networkidle")
                path = out / name
                page.screenshot(path=str(path), full_page=True)
                written.append(path)
                context.close()
        finally:
            browser.close()
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screens"))
    parser.add_argument("--keep", action="store_true", help="keep the jalon_screens database")
    args = parser.parse_args()
    url = prepare()
    try:
        os.environ.update(environment(url))
        import django

        django.setup()
        sessions = cookies()
        with server(url) as server_url:
            written = shoot(server_url, sessions, Path(args.out))
    finally:
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    for path in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
