"""Public pages under load (issue 17): a service page and an information page against `/livez`.

Run: ``.venv/bin/python bench/public.py [--seconds 20] [--connections 8] [--workers 2]``
(``make bench``). It builds a throwaway database ``jalon_bench_public`` (migrate: the
information pages come with it; one service with its public page and two places), starts
gunicorn with production settings (``bench/load.py``), warms up, then runs wrk on the trivial
view ``/livez``, the service page and an information page, one after the other, and writes
its section of ``docs/benchmarks.md``. Target: each public page at least half of ``/livez``'s
throughput in the same run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.identity import SERVER_URL, admin_sql  # noqa: E402
from bench.load import LoadResult, Server, django_on, run_wrk  # noqa: E402
from bench.report import machine, write_section  # noqa: E402

DATABASE = "jalon_bench_public"
SECTION = "## Public pages: service page and information page (issue 17)"
TARGET_RATIO = 0.5


def prepare() -> str:
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


def seed() -> list[tuple[str, str]]:
    """One service with its page and places; the URLs to load (path, no cookie)."""
    from jalon.access.models import Jurisdiction, Service
    from jalon.access.roles import ServiceKind
    from jalon.appointments.models import Place
    from jalon.core import links
    from jalon.public.models import InfoPage, ServicePage

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
        name="SPIP du Bas-Rhin", kind=ServiceKind.SPIP, jurisdiction=tj
    )
    for name in ("Strasbourg — siège", "Antenne de Saverne"):
        Place.objects.create(
            service=service, name=name, address="1 rue du Palais\n67000 Strasbourg"
        )
    ServicePage.objects.create(
        service=service,
        opening_hours="Du lundi au vendredi, 9h-12h et 14h-17h",
        access="Tram A et D, arrêt Palais. Entrée de plain-pied.",
        phone="03 88 00 00 00",
        email="spip67@justice.fr",
        organisations="Association Relais : logement\nPoint-justice : avocat gratuit",
    )
    info = InfoPage.objects.order_by("position").first()
    assert info is not None
    return [
        (f"/s/{links.service_page_token(service.pk)}", ""),
        (f"/informations/{info.slug}/", ""),
    ]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the throwaway database")
    args = parser.parse_args()
    url = prepare()
    try:
        with django_on(url):
            (service, info) = seed()
        load_before = load_average()
        results: dict[str, LoadResult] = {}
        with Server(url, workers=args.workers, collect=False) as server:
            for path in ("/livez", service[0], info[0]):  # warm-up, caches filled
                run_wrk(server.url, [(path, "")], connections=2, seconds=2)
            for key, request in (("livez", ("/livez", "")), ("service", service), ("info", info)):
                results[key] = run_wrk(
                    server.url, [request], connections=args.connections, seconds=args.seconds
                )
                print(f"{key}: {results[key].per_second:.0f} req/s, errors {results[key].errors}")
        load_after = load_average()
    finally:
        if not args.keep:
            admin_sql(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    trivial = results["livez"]
    rows = []
    for key, label in (("service", "Service page `/s/…`"), ("info", "Information page")):
        result = results[key]
        ratio = result.per_second / trivial.per_second
        verdict = "met" if ratio >= TARGET_RATIO and result.errors == 0 else "**missed**"
        rows.append(
            f"| {label} | {result.requests:,} | {result.per_second:.1f} | {ratio:.2f} | "
            f"{result.p50_ms:.1f} | {result.p95_ms:.1f} | {result.errors} | ≥ 0.5 | {verdict} |"
        )
    text = "\n".join(
        [
            SECTION,
            "",
            "Written by `bench/public.py` (`make bench`). gunicorn with "
            f"{args.workers} sync workers, `JALON_ENV=production`, `DEBUG` off, on a throwaway "
            "database; wrk on loopback, no cookie (an anonymous visitor), "
            f"{args.connections} connections for {args.seconds:.0f} s per URL, one URL after "
            "the other in the same run. The public pages answer from Django's cache (the "
            "rendering keyed by the page's version, the version remembered 10 s per process: "
            "no query per request once warm); browsers "
            "and proxies may also keep them 5 minutes (`Cache-Control: public, max-age=300`), "
            "which this measure does not count.",
            "",
            f"- Machine: {machine()}; gunicorn, PostgreSQL and wrk share its cores",
            f"- Date: {datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC; load average (1, 5, 15 min) "
            f"before {load_before}, after {load_after}. **The machine is shared with other "
            "work**: absolute numbers vary from run to run; the ratio to `/livez`, measured "
            "in the same minutes, is the figure to read.",
            "",
            "| URL | Requests | Req/s | Ratio to `/livez` | p50 ms | p95 ms | Errors | Target "
            "| Verdict |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|",
            f"| Trivial view `/livez` | {trivial.requests:,} | {trivial.per_second:.1f} | 1 | "
            f"{trivial.p50_ms:.1f} | {trivial.p95_ms:.1f} | {trivial.errors} | | |",
            *rows,
        ]
    )
    print(f"wrote {write_section(SECTION, text)}")


if __name__ == "__main__":
    main()
