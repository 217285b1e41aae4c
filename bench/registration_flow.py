"""Registration and first convocation (MSJ-16): interactions counted, flow timed.

Run: ``.venv/bin/python bench/registration_flow.py [--runs 10]``. It creates, migrates and
fills with the demo (``load_demo``, ``load_convocation_demo``) a throwaway database
``jalon_bench_flow`` on the server of ``DATABASE_URL``, serves it with gunicorn (2 workers,
DEBUG off) and drives Debian's Chromium as the demo CPIP, keyboard only: Alt+n (the
accesskey of « Nouvelle personne ») opens the form. The session's first flow is a FIRST
registration (type and agenda chosen), the untimed warm-up; it leaves them remembered for
the measured REPEAT registrations, which Tab past them. ``CountingDriver`` counts the
interactions. The database is dropped at the end; docs/benchmarks.md's ``SECTION`` is
replaced.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.report import machine, write_section  # noqa: E402

DB_NAME = "jalon_bench_flow"
SERVER_URL = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/")
BENCH_URL = urlunsplit(SERVER_URL._replace(path=f"/{DB_NAME}"))
ADMIN_URL = urlunsplit(SERVER_URL._replace(path="/postgres"))
CPIP, PASSWORD = "cpip@jalon.test", "Jalon-Demo-2026!"
TARGET_S, TODAY_S = 20.0, 45.0
SECTION = "## Registration and first convocation (MSJ-16)"
K, M = 0.2, 1.35  # keystroke-level model operators, in seconds (no P, B or H: no mouse)
LAST_NAMES = ["Bernard", "Laurent", "Lefèvre", "Mercier", "Garnier", "Roussel", "Barbier"]
FIRST_NAMES = ["Amélie", "Julien", "Thomas", "Sophie", "Céline", "Jérôme", "Hélène"]
ENV = {"DATABASE_URL": BENCH_URL, "DJANGO_SETTINGS_MODULE": "jalon.settings", "DEBUG": "0"}
ENV |= {"JALON_ENV": "development", "LOG_LEVEL": "WARNING", "DJANGO_ALLOW_ASYNC_UNSAFE": "true"}


def admin_sql(statement: str) -> int:
    """Run ``statement`` on the server's ``postgres`` database; the server version number."""
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(statement)
        return int(connection.info.server_version)


def database_facts() -> dict[str, Any]:
    from django.db import connection

    from jalon.access.models import Agent
    from jalon.appointments.models import Agenda, Appointment
    from jalon.people.models import Person

    facts = {"persons": Person.objects.count(), "agendas": Agenda.objects.count()}
    facts |= {"appointments": Appointment.objects.count(), "agents": Agent.objects.count()}
    connection.close()
    return facts


def prepare_database() -> dict[str, Any]:
    """Create, migrate and fill the throwaway database; what the bench needs from it."""
    admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
    version = admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    os.environ.update(ENV)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from jalon.access.demo import load_demo
    from jalon.access.models import Agent
    from jalon.appointments.demo import load_convocation_demo
    from jalon.core.dates import is_working_day

    call_command("migrate", verbosity=0)
    load_demo()
    load_convocation_demo()
    Agent.objects.filter(email=CPIP).update(charter_accepted_at=timezone.now())
    subdivision = Agent.objects.get(email=CPIP).service.holiday_subdivision
    day = timezone.localdate() + timedelta(days=7)
    while not is_working_day(day, subdivision):
        day += timedelta(days=1)
    return database_facts() | {"day": day, "postgres": f"{version // 10000}.{version % 10000}"}


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "jalon.wsgi", "-b", url[7:], "-w", "2", "--log-level", "warning"]
    quiet = {"PYTHONWARNINGS": "ignore:No directory at"}  # no collectstatic: finders serve
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ | ENV | quiet)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/connexion/", timeout=1).close()  # noqa: S310
            return server, url
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 20 s")


class CountingDriver:
    """Every interaction goes through here and is counted (page loads come from events)."""

    def __init__(self, page: Any) -> None:
        self.page, self.counts, self.on_mouse = page, Counter[str](), False
        self.cdp = page.context.new_cdp_session(page)
        page.on("framenavigated", lambda frame: self._navigated(frame == page.main_frame))

    def _navigated(self, main_frame: bool) -> None:
        self.counts["page loads"] += main_frame

    def click(self, selector: str) -> None:
        self.counts["hand moves"] += not self.on_mouse  # a flow starts with hands on the keys
        self.counts["clicks"] += 1
        self.on_mouse = True
        self.page.click(selector)

    def _keyboard(self, keystrokes: int) -> None:
        self.counts["hand moves"] += self.on_mouse
        self.counts["keystrokes"] += keystrokes
        self.on_mouse = False

    def field(self, text: str) -> None:
        """Type one field's value (a select is chosen by typing its first character)."""
        self._keyboard(len(text))
        self.counts["fields typed"] += 1
        self.page.keyboard.type(text)

    def press(self, key: str) -> None:
        self._keyboard(1)
        self.counts[f"{key} presses"] += 1
        self.page.keyboard.press(key)

    def access_key(self, key: str) -> None:
        """Alt+``key``, Chromium's accesskey chord on Linux: 2 keystrokes, Alt and the key.

        ``keyboard.press("Alt+n")`` does not work: Playwright sends the letter as a raw
        key-down without its unmodified text, which Blink needs to match an accesskey. The
        letter goes over CDP as the key-down a real keyboard sends, Alt held by Playwright.
        """
        self._keyboard(2)
        self.counts[f"Alt+{key} presses"] += 1
        letter = {"modifiers": 1, "key": key, "code": f"Key{key.upper()}"}  # 1: Alt
        letter["windowsVirtualKeyCode"] = ord(key.upper())
        self.page.keyboard.down("Alt")
        self.cdp.send(
            "Input.dispatchKeyEvent", {"type": "keyDown", "unmodifiedText": key, **letter}
        )
        self.cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **letter})
        self.page.keyboard.up("Alt")

    def tab_to(self, selector: str) -> None:
        for _ in range(12):
            self.press("Tab")
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise RuntimeError(f"{selector} cannot be reached with Tab")


def one_flow(driver: CountingDriver, run: int, day: date, first: bool) -> tuple[float, float]:
    """Register and convoke one new person; (flow seconds, system response seconds)."""
    page = driver.page
    last, given = LAST_NAMES[run % 7], FIRST_NAMES[(run + run // 7) % 7]
    born = date(1970, 1, 1) + timedelta(days=97 * run)
    page.goto("/")
    driver.counts.clear()
    start = time.perf_counter()
    driver.access_key("n")  # accesskey="n" on the « Nouvelle personne » tile
    page.wait_for_url("**/personnes/nouvelle/")
    form_shown = time.perf_counter()
    remembered = [page.input_value(f"#id_rdv-{name}") for name in ("appointment_type", "agenda")]
    if page.evaluate("() => document.activeElement.id") != "id_last_name":
        raise RuntimeError("« Nom » does not have the focus on arrival")
    if all(remembered) == first:
        raise RuntimeError(f"run {run}: type and agenda preselected {remembered}, first={first}")
    steps = [
        ("#id_last_name", last),
        ("#id_first_names", given),
        ("#id_birth_date", f"{born:%d%m%Y}"),
        ("#id_phone", f"0788{run:06d}"),  # any written form is accepted: digits only
        ("#id_rdv-appointment_type", "1" if first else ""),  # « 1er rendez-vous SPIP »
        ("#id_rdv-agenda", "e" if first else ""),  # « Équipe milieu ouvert 1 (…) »
        ("#id_rdv-day", f"{day.day}/{day.month}"),  # JJ/MM: the next occurrence
        ("#id_rdv-time", "10"),
    ]
    for index, (selector, text) in enumerate(steps):
        if not text:
            continue  # preselected: the next Tab goes past it
        if index:  # « Nom » has the focus on arrival
            driver.tab_to(selector)
        driver.field(text)
    submitted = time.perf_counter()
    driver.press("Enter")
    page.wait_for_url(re.compile(r"/personnes/\d+/$"))
    name = page.locator("[data-testid=person-name]").inner_text()
    end = time.perf_counter()
    rows = page.locator("[data-testid=appointments] tbody tr").all_inner_texts()
    if name != f"{last.upper()} {given}" or len(rows) != 1 or "1er rendez-vous" not in rows[0]:
        raise RuntimeError(f"run {run}: unexpected person page ({name!r}, {rows})")
    if driver.counts["clicks"] or driver.counts["hand moves"]:
        raise RuntimeError(f"run {run}: the mouse was used ({dict(driver.counts)})")
    return end - start, (form_shown - start) + (end - submitted)


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    return sorted(values)[math.ceil(0.95 * len(values)) - 1]


def klm(counts: Counter[str], response: float) -> tuple[str, float]:
    """The keystroke-level model's sum for one keyboard-only flow, written out, and its total."""
    keys, fields = counts["keystrokes"], counts["fields typed"]
    terms = [K * keys, M * fields]
    total = sum(terms) + response
    written = f"{K} × {keys} + {M} × {fields} + R"
    sums = " + ".join(f"{value:.1f}" for value in terms)
    return f"{written} = {sums} + {response:.2f} = {total:.1f} s", total


ROWS = {
    "page loads": "Page loads (main-frame navigations)",
    "fields typed": "Fields typed (selects chosen by typing)",
    "keystrokes": "Keystrokes (characters, Tab, Enter, Alt+n as 2)",
    "Alt+n presses": "— Alt+n chords (accesskey; each counts as 2 keystrokes)",
    "Tab presses": "— of which Tab",
    "Enter presses": "— of which Enter",
    "clicks": "Clicks",
    "hand moves": "Hand moves between keyboard and mouse",
}

REPORT = """{section}

Written by `bench/registration_flow.py`: the demo CPIP presses Alt+n on the home page
(`accesskey="n"` of the « Nouvelle personne » tile), lands in « Nom » (autofocus), types
the person and a first convocation (Tab between fields; birth date as 8 digits, day as
`JJ/MM`, time as `HH`; no numéro de parquet) and submits with Enter: keyboard only, the
hands never leave the keys. (Playwright's `keyboard.press("Alt+n")` does not trigger an
accesskey, so the script sends the n over CDP as the key-down a real keyboard sends.) A FIRST registration (the session's first, the warm-up)
chooses type and agenda by typing their first character; a REPEAT registration finds them
preselected, remembered from the previous one, and Tabs past them.

- Machine: {machine} (kernel {kernel})
- Software: Python {python}, PostgreSQL {postgres}, {browser} headless, gunicorn
  2 workers, DEBUG off
- Date: {now:%Y-%m-%d %H:%M} UTC
- Dataset before the runs: demo organisation, {persons} persons, {agendas} agendas,
  {appointments} convocations, {agents} agents; the CPIP may book in {cpip_agendas} agendas

| Interactions of one flow | First | Repeat |
|---|---:|---:|
{table}

Repeat counts identical in all {n} measured runs: {stable}.

| Scripted repeat flow: Alt+n on the home page → person page shown | Seconds |
|---|---:|
| Median (n = {n}, after the warm-up run) | {median:.2f} |
| p95 (nearest rank) | {p95:.2f} |
| System response, median (form load + submit → person page) | {response:.2f} |
| System response, p95 | {response_p95:.2f} |

Trained agent, keystroke-level model (Card, Moran & Newell): K = {K} s per keystroke
(skilled typist; Alt+n counts as 2), R = measured median system response, and M = {M} s
of mental preparation only for the fields actually typed or chosen: Nom, Prénoms, date de
naissance, téléphone, date, heure ({m_repeat}), plus type and agenda in a first
registration ({m_first}). No P (pointing), B (mouse button) or H (hand move between
keyboard and mouse): the flow is keyboard only, the counters show {clicks} clicks and
{hands} hand moves in every run. No M for the Tabs past preselected fields, and no M is
charged for deciding to open the form (Alt+n): charging one would make a repeat
registration {with_open_m:.1f} s and a first one {first_with_open_m:.1f} s.

    T = K × keystrokes + M × fields + R
    Repeat: {klm_repeat}
    First:  {klm_first}

Verdict: a repeat registration takes {repeat:.1f} s and {verdict} the 20 s target (MSJ-16
takes 45 s today: {gain:.1f} s less); a first registration takes {first:.1f} s. Reading the
paperwork is not modelled; the numéro de parquet (11 digits, a Tab, an M) would add
{parquet:.1f} s.
"""


def report(facts: dict[str, Any], results: list[tuple[float, float, Counter[str]]]) -> str:
    (_, _, first), flows, waits = (
        results[0],
        [r[0] for r in results[1:]],
        [r[1] for r in results[1:]],
    )
    repeat, response = results[-1][2], statistics.median(waits)
    values: dict[str, Any] = {**facts, "section": SECTION, "machine": machine(), "n": len(flows)}
    values |= {"python": platform.python_version(), "now": datetime.now(UTC)}
    values |= {"kernel": platform.release(), "median": statistics.median(flows)}
    values |= {"p95": p95(flows), "response": response, "response_p95": p95(waits)}
    values |= {"K": K, "M": M, "parquet": K * 12 + M}
    rows = (f"| {label} | {first[key]} | {repeat[key]} |" for key, label in ROWS.items())
    values["table"] = "\n".join(rows)
    values["stable"] = "yes" if all(r[2] == repeat for r in results[1:]) else "no"
    values["klm_repeat"], values["repeat"] = klm(repeat, response)
    values["klm_first"], values["first"] = klm(first, response)
    values["gain"] = TODAY_S - values["repeat"]
    values |= {"m_repeat": repeat["fields typed"], "m_first": first["fields typed"]}
    values["with_open_m"], values["first_with_open_m"] = values["repeat"] + M, values["first"] + M
    values["clicks"] = max(r[2]["clicks"] for r in results)
    values["hands"] = max(r[2]["hand moves"] for r in results)
    values["verdict"] = "meets" if values["repeat"] <= TARGET_S else "misses"
    return REPORT.format_map(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="measured flows (default 10)")
    runs = parser.parse_args().runs
    from playwright.sync_api import sync_playwright

    server = None
    try:
        facts = prepare_database()
        server, url = start_server()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
            )
            facts["browser"] = f"Chromium {browser.version}"
            page = browser.new_context(base_url=url, locale="fr-FR").new_page()
            page.goto("/connexion/")
            page.fill("#id_username", CPIP)
            page.fill("#id_password", PASSWORD)
            page.click("button:has-text('Se connecter')")
            page.wait_for_selector("h1:has-text('Bonjour')")
            page.goto("/personnes/nouvelle/")
            facts["cpip_agendas"] = page.locator("#id_rdv-agenda option:not([value=''])").count()
            driver, results = CountingDriver(page), []
            for run in range(runs + 1):  # run 0: first registration, warms the caches up
                flow, wait = one_flow(driver, run, facts["day"], first=run == 0)
                results.append((flow, wait, Counter(driver.counts)))
                print(f"run {run}{' (first, warm-up)' if not run else ''}: {flow:.2f} s")
            browser.close()
        after = database_facts()
        saved = (after["persons"] - facts["persons"], after["appointments"] - facts["appointments"])
        if saved != (runs + 1, runs + 1):
            raise RuntimeError(f"{runs + 1} flows saved {saved} persons and convocations")
        path = write_section(SECTION, report(facts, results))
        print(f"{path.relative_to(ROOT)} updated: see {SECTION!r}")
        return 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())
