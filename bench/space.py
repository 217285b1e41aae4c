"""Weight of the probationer space's pages (issue 17, point 5): at most 150 kB each over the
network once the DSFR assets are cached, and no script (they work with JavaScript off).

Run: ``.venv/bin/python bench/space.py`` (``make bench``). It builds a throwaway database
``jalon_bench_space`` (one SPIP, a person with an account, 30 past and 10 future
convocations, two agents sharing their contacts, an invitation), starts gunicorn with
production settings (``bench/load.py``), fetches each page of the space over HTTP as the
person's browser would (the space's session cookie), counts the bytes of the answer
(status line, headers and body) and of every sub-resource it names that is not a DSFR asset,
and writes its section of ``docs/benchmarks.md``. ``tests/space/test_pages.py`` asserts
the same budget with ``subresources`` and ``BUDGET`` on the test client.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "jalon_bench_space"
SECTION = "## Probationer space: page weight (issue 17)"
BUDGET = 150_000  # bytes per page, the DSFR assets cached
CACHED_PREFIX = "/static/dsfr/"  # the DSFR assets, cached by the browser after the first page
_REFERENCE = re.compile(
    r"<(?:link|script|img|source|iframe)\b[^>]*?\b(?:href|src)=\"([^\"]+)\"", re.I
)


def subresources(html: str) -> list[str]:
    """What a browser loads with the page, except the DSFR assets (cached) and plain links."""
    found = []
    for match in _REFERENCE.finditer(html):
        tag = match.group(0).lower()
        if tag.startswith("<link") and not re.search(r"rel=\"(stylesheet|icon|preload)", tag):
            continue
        if not match.group(1).startswith(CACHED_PREFIX):
            found.append(match.group(1))
    return found


def has_script(html: str) -> bool:
    return bool(re.search(r"<script\b", html, re.I))


def prepare() -> str:
    from bench.identity import SERVER_URL, admin_sql

    admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{DATABASE}"')
    url = urlunsplit(SERVER_URL._replace(path=f"/{DATABASE}"))
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
    )
    return url


def seed() -> tuple[str, list[tuple[str, str]]]:
    """The person's session cookie and the pages to weigh (label, path)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from jalon.access.models import Agent, Jurisdiction, Profile, Service
    from jalon.access.roles import ServiceKind
    from jalon.appointments.models import Agenda, Appointment, AppointmentType, Place
    from jalon.people.models import Person
    from jalon.space import actions, tokens
    from jalon.space.models import Invitation, SpaceAccount

    ca = Jurisdiction.objects.create(
        kind=Jurisdiction.Kind.COURT_OF_APPEAL, code="ca-colmar", name="Cour d’appel de Colmar"
    )
    tj = Jurisdiction.objects.create(
        kind=Jurisdiction.Kind.JUDICIAL_COURT,
        code="tj-strasbourg",
        name="Tribunal judiciaire de Strasbourg",
        court_of_appeal=ca,
    )
    service = Service.objects.create(
        name="SPIP du Bas-Rhin", kind=ServiceKind.SPIP, jurisdiction=tj, phone="03 88 00 00 00"
    )
    place = Place.objects.create(
        service=service,
        name="Strasbourg — siège",
        address="19 avenue de la Paix\n67000 Strasbourg",
        accessibility_notes="Entrée de plain-pied, ascenseur.",
    )
    agenda = Agenda.objects.create(place=place, name="Milieu ouvert 1")
    kind = AppointmentType.objects.filter(code="spip_follow_up").first()
    assert kind is not None
    cpip = Agent.objects.create_user(
        email="cpip@bench.test",
        password="Bench-Password-2026!",  # noqa: S106 - a throwaway bench database
        first_name="Claire",
        last_name="Muller",
        service=service,
        profile=Profile.objects.get(code="cpip"),
        phone="03 88 11 22 33",
        share_phone=True,
        share_email=True,
    )
    person = Person.objects.create(
        last_name="Bauer",
        first_names="Julien",
        birth_date="1990-05-17",
        phone="+33612345678",
        referent=cpip,
    )
    person.follows.create(service=service)
    now = timezone.now()
    for days in [*range(-300, 0, 10), *range(7, 77, 7)]:
        starts = (now + timedelta(days=days)).replace(hour=9, minute=30, second=0, microsecond=0)
        Appointment.objects.create(
            person=person,
            appointment_type=kind,
            agenda=agenda,
            service=service,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=30),
            status=Appointment.Status.HONOURED if days < 0 else Appointment.Status.BOOKED,
            assigned_agent=cpip,
            created_by_service=service,
        )
    account = SpaceAccount.objects.create(
        person=person, phone=person.phone, password=make_password("mon chat dort au soleil")
    )
    other = Person.objects.create(
        last_name="Klein", first_names="Marie", birth_date="1985-02-03", phone="+33698765432"
    )
    invitation = Invitation.objects.create(
        person=other,
        phone=other.phone,
        nonce=tokens.new_nonce(),
        expires_at=now + timedelta(days=7),
    )
    upcoming = Appointment.objects.filter(person=person, starts_at__gt=now).first()
    assert upcoming is not None
    return actions.open_session(account), [
        ("Connexion `/espace/connexion/`", "/espace/connexion/"),
        ("Mot de passe oublié", "/espace/mot-de-passe-oublie/"),
        (
            "Invitation (création du compte)",
            f"/espace/invitation/{tokens.invitation_token(invitation.pk, invitation.nonce)}",
        ),
        ("Mes convocations `/espace/` (40 convocations)", "/espace/"),
        ("Une convocation", f"/espace/convocations/{upcoming.pk}/"),
    ]


def fetch(url: str, cookie: str) -> tuple[int, int, str]:
    """(status, bytes on the wire without compression, body text)."""
    # As behind the TLS proxy (production redirects plain HTTP).
    headers = {"Cookie": f"jalon_espace={cookie}", "X-Forwarded-Proto": "https"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        body = answer.read()
        head = f"HTTP/1.1 {answer.status}\r\n" + "".join(
            f"{name}: {value}\r\n" for name, value in answer.getheaders()
        )
        return answer.status, len(head.encode()) + 2 + len(body), body.decode()


def main() -> None:
    from bench.identity import admin_sql
    from bench.load import Server, django_on
    from bench.report import machine, write_section

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    url = prepare()
    rows = []
    failed = False
    try:
        with django_on(url):
            cookie, pages = seed()
        with Server(url, workers=1, collect=False) as server:
            for label, path in pages:
                status, size, html = fetch(server.url + path, cookie)
                extra = 0
                for asset in subresources(html):
                    extra += fetch(server.url + asset, cookie)[1]
                total = size + extra
                ok = status == 200 and total <= BUDGET and not has_script(html)
                failed |= not ok
                rows.append(
                    f"| {label} | {status} | {size:,} | {extra:,} | {total:,} | "
                    f"{'none' if not has_script(html) else '**yes**'} | "
                    f"{'met' if ok else '**missed**'} |"
                )
                print(f"{path}: {status}, {total} bytes")
    finally:
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    text = "\n".join(
        [
            SECTION,
            "",
            "Written by `bench/space.py` (`make bench`). gunicorn with `JALON_ENV=production` "
            "on a throwaway database; each page fetched over HTTP on loopback with the "
            "person's session cookie, without compression. Bytes: status line, headers and "
            "body of the page, plus every sub-resource it names other than the DSFR assets "
            "(`/static/dsfr/…`, cached by the browser after the first page). Budget: "
            f"{BUDGET:,} bytes per page; no `<script>` (each page works with JavaScript off).",
            "",
            f"- Machine: {machine()}",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC",
            "",
            "| Page | Status | Page bytes | Other assets | Total | Script | Verdict |",
            "|---|---:|---:|---:|---:|---|---|",
            *rows,
        ]
    )
    print(f"wrote {write_section(SECTION, text)}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
