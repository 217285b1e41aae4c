"""The partners' API under load: gunicorn with production settings, measured with wrk.

Run: ``.venv/bin/python bench/api.py [--scale small|national]`` (``make bench``).
For ``small`` it builds a throwaway database ``jalon_bench_api`` (migrate, then
``generate_dataset --scale small --seed 1``) and drops it at the end; for ``national`` it
uses ``jalon_national`` (generated first when empty) and keeps it, with the convocations
the run booked (``--database`` names another one, kept too).

Steps, in one run (issue 15, point 7):
1. An API client for the bench, made as a national administrator would
   (``api.actions.create_client``; its key rotated on a later run): every read scope and
   ``convocations:write``, acting for the SPIP that follows the most persons and for the
   parquet of its tribunal (the procedures), each through its service account.
2. The requests of each scenario, drawn from the data the SPIP's agents see: persons by
   name, pages of the person list (cursors walked in this process), a person's file, their
   convocations, a convocation, the agendas, free slots, NATINF and the services, a
   procedure (as the parquet); and a pool of bookings on free dates: each on its own
   (person, moment), spread over working days six to twelve months ahead, away from the
   person's other convocations, so that every booking of the run is a real one (a fresh
   ``Idempotency-Key`` per request, made by the wrk script) and any non-2xx is an error.
3. SQL queries of each scenario in this process (Django test client), and the same counts
   on a second, smaller dataset (a subprocess, throwaway database): small for national, a
   tenth of small (``--fraction 10``) for small. Their maxima must be equal.
4. gunicorn (``--workers``, sync, as the Procfile), warm-up, then wrk at a fixed number of
   connections: ``/livez``, each scenario alone, then the mixed scenario.
5. The section of ``docs/benchmarks.md``.

Latencies are wrk's (client side, on loopback: the server's time plus a few tens of µs).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_report import COUNTED, READ_TARGET_MS, SECTION, report  # noqa: E402
from bench.identity import SERVER_URL, admin_sql, prepare_database  # noqa: E402
from bench.load import LoadResult, Server, WrkRequest, database_url, django_on, run_wrk  # noqa: E402
from bench.report import database_facts, write_section  # noqa: E402

CLIENT_NAME = "Banc d’essai de l’API"
PREFIX = "/api/v1"
SAMPLE = 200  # requests per read scenario
BOOKING_TARGET_MS = 150.0
# Bookings are never replayed: each run gets as many as it could possibly send at this rate.
MAX_RATE = 250


@dataclass
class Scenario:
    key: str
    label: str
    target_ms: float
    requests: list[WrkRequest] = field(default_factory=list)
    weight: int = 1
    writes: bool = False  # each request books: used once, never replayed


@dataclass
class Bench:
    """The client, the services it acts for, and how to write its requests."""

    key: str
    spip_id: int
    parquet_id: int | None
    agent: Any  # the SPIP's service account

    def get(self, path: str, service_id: int | None = None) -> WrkRequest:
        return WrkRequest(PREFIX + path, headers=self._headers(service_id))

    def post(self, path: str, body: dict[str, Any]) -> WrkRequest:
        headers = (*self._headers(None), ("Content-Type", "application/json"))
        return WrkRequest(PREFIX + path, "POST", headers, json.dumps(body, sort_keys=True))

    def _headers(self, service_id: int | None) -> tuple[tuple[str, str], ...]:
        return (
            ("Authorization", f"Bearer {self.key}"),
            ("Jalon-Service", str(service_id or self.spip_id)),
            ("Accept", "application/json"),
        )


def _database_url(name: str) -> str:
    from jalon.core.dburl import parse_database_url

    return database_url(parse_database_url(urlunsplit(SERVER_URL)), name)


# --- The client ----------------------------------------------------------------------------


def bench_client() -> Bench:
    """The bench's client for the busiest SPIP and its tribunal's parquet, with a new key."""
    from django.db.models import Count

    from jalon.access.models import Agent, Service
    from jalon.api import actions
    from jalon.api.models import ApiClient, ApiScope
    from jalon.people.models import Follow

    busiest = (
        Follow.objects.values("service_id")
        .annotate(persons=Count("id"))
        .order_by("-persons", "service_id")
        .first()
    )
    if busiest is None:
        raise SystemExit("No follow in this database: generate a dataset first.")
    spip = Service.objects.get(pk=busiest["service_id"])
    parquet = (
        Service.objects.filter(jurisdiction_id=spip.jurisdiction_id, kind="parquet", is_active=True)
        .order_by("pk")
        .first()
    )
    admin = (
        Agent.objects.filter(profile__code="national_admin", is_active=True).order_by("pk").first()
    )
    if admin is None:
        raise SystemExit("No national administrator in this database to create the client.")
    details = actions.ClientDetails(
        name=CLIENT_NAME,
        contact_name="Banc d’essai",
        contact_email="banc-essai@jalon.invalid",
        scopes=[
            ApiScope.PERSONS_READ,
            ApiScope.CONVOCATIONS_READ,
            ApiScope.CONVOCATIONS_WRITE,
            ApiScope.REFERENTIALS_READ,
            ApiScope.PROCEDURES_READ,
        ],
        services=[spip, *([parquet] if parquet else [])],
        expires_on=None,
    )
    client = ApiClient.objects.filter(name=CLIENT_NAME, revoked_at__isnull=True).first()
    if client is None:
        client, key = actions.create_client(agent=admin, details=details)
    else:
        actions.update_client(agent=admin, client=client, details=details)
        rotated = actions.rotate_key(agent=admin, client=client, current_prefix=client.key_prefix)
        assert rotated is not None
        key = rotated
    agent = (
        client.identities.select_related("agent__service", "agent__profile").get(service=spip).agent
    )
    return Bench(key, spip.pk, parquet.pk if parquet else None, agent)


# --- The requests --------------------------------------------------------------------------


def walk_pages(bench: Bench, path: str, query: dict[str, Any], pages: int) -> list[str]:
    """The URLs of the first ``pages`` pages of a list, following ``next_cursor``."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    headers = dict(bench._headers(None))
    urls, cursor = [], None
    for _ in range(pages):
        url = f"{path}?{urlencode({**query, **({'cursor': cursor} if cursor else {})})}"
        urls.append(url)
        response = client.get(PREFIX + url, secure=True, headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code} in process")
        cursor = response.json()["next_cursor"]
        if cursor is None:
            break
    return urls


def working_days(start: date, end: date, subdivision: str) -> list[date]:
    from jalon.core.dates import holiday_name

    days, day = [], start
    while day <= end:
        if day.weekday() < 5 and not holiday_name(day, subdivision):
            days.append(day)
        day += timedelta(days=1)
    return days


def booking_pool(bench: Bench, size: int, seed: int) -> list[dict[str, Any]]:
    """``size`` bookings on free dates, each on its own (person, moment): a person's moments
    never overlap, nor overlap their other convocations, so none of them is refused."""
    from django.utils import timezone

    from jalon.access.rules.appointments import appointment_types_for, bookable_agendas
    from jalon.access.rules.people import persons_visible_to
    from jalon.appointments.models import Appointment
    from jalon.appointments.slots import CLOSING

    agent = bench.agent
    choice = None
    for kind in sorted(appointment_types_for(agent), key=lambda t: (t.position, t.pk)):
        if kind.uses_slots:
            continue
        agendas = list(bookable_agendas(agent, kind).order_by("pk").values_list("pk", flat=True))
        if agendas:
            choice = (kind, agendas[:5])
            break
    if choice is None:
        raise SystemExit("The SPIP's service account may book no type on a free date.")
    kind, agendas = choice
    rng = random.Random(seed)
    persons = list(
        persons_visible_to(agent)
        .filter(archived_at__isnull=True, follows__service_id=bench.spip_id)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:3_000]
    )
    rng.shuffle(persons)
    zone = ZoneInfo(agent.service.time_zone)
    today = timezone.now().astimezone(zone).date()
    days = working_days(
        today + timedelta(days=183), today + timedelta(days=355), agent.service.holiday_subdivision
    )
    step = 15 * math.ceil(kind.default_duration_minutes / 15)
    times = []
    minute = 8 * 60
    while minute + kind.default_duration_minutes <= CLOSING.hour * 60 - 60:
        times.append((minute // 60, minute % 60))
        minute += step
    moments = [
        datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
        for day in days
        for hour, minute in times
    ]
    if not persons or size > len(persons) * len(moments):
        raise SystemExit(f"Not enough persons and dates for {size} bookings.")
    taken: dict[int, list[tuple[datetime, datetime]]] = {}
    for person, starts, ends in (
        Appointment.objects.active()
        .filter(
            person_id__in=persons,
            ends_at__gt=moments[0],
            starts_at__lt=moments[-1] + timedelta(days=1),
        )
        .values_list("person_id", "starts_at", "ends_at")
    ):
        taken.setdefault(person, []).append((starts, ends))
    duration = timedelta(minutes=kind.default_duration_minutes)
    pool: list[dict[str, Any]] = []
    index = 0
    while len(pool) < size:
        person = persons[index % len(persons)]
        moment = moments[(index // len(persons) + 7 * (index % len(persons))) % len(moments)]
        index += 1
        if any(s < moment + duration and moment < e for s, e in taken.get(person, [])):
            continue
        pool.append(
            {
                "person_id": person,
                "appointment_type_id": kind.pk,
                "agenda_id": agendas[index % len(agendas)],
                "starts_at": moment.isoformat(),
            }
        )
    return pool


def _alternate(first: list[int], second: list[int]) -> list[int]:
    """``first[0], second[0], first[1], second[1]…``, then the rest of the longer one."""
    mixed = [value for pair in zip(first, second, strict=False) for value in pair]
    shorter = min(len(first), len(second))
    return mixed + first[shorter:] + second[shorter:]


def pick_scenarios(bench: Bench, seed: int, bookings: list[dict[str, Any]]) -> list[Scenario]:
    """The requests of each scenario, drawn from what the SPIP sees (deterministic)."""
    from django.utils import timezone

    from jalon.access.rules.appointments import agendas_visible_to, appointments_visible_to
    from jalon.access.rules.people import persons_visible_to
    from jalon.appointments.models import Slot
    from jalon.cases.models import Offence, Procedure

    rng = random.Random(seed)
    agent = bench.agent
    person_rows = list(
        persons_visible_to(agent)
        .filter(follows__service_id=bench.spip_id)
        .order_by("pk")
        .values_list("pk", "last_name")[:5_000]
    )
    chosen = rng.sample(person_rows, min(SAMPLE, len(person_rows)))
    names = sorted({name for _, name in chosen})
    convocations = list(
        appointments_visible_to(agent)
        .filter(person_id__in=[pk for pk, _ in chosen])
        .order_by("pk")
        .values_list("pk", flat=True)[:SAMPLE]
    )
    pages = walk_pages(bench, "/persons", {"archived": "false", "limit": 50}, 40)
    agendas = list(agendas_visible_to(agent).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    slot_days = sorted(
        {
            (agenda, starts.date())
            for agenda, starts in Slot.objects.bookable(now)
            .filter(agenda_id__in=agendas)
            .order_by("agenda_id", "starts_at")
            .values_list("agenda_id", "starts_at")[:5_000]
        }
    )
    slot_days = rng.sample(slot_days, min(SAMPLE, len(slot_days)))
    offences = list(Offence.objects.order_by("pk").values_list("number", "qualification")[:20_000])
    offences = rng.sample(offences, min(SAMPLE, len(offences)))
    words = sorted(
        {
            word.lower()
            for _, qualification in offences
            for word in qualification.split()[:3]
            if len(word) >= 5 and word.isalpha()
        }
    )[:SAMPLE]
    services = walk_pages(bench, "/referentials/services", {"limit": 50}, 10)
    procedures: list[int] = []
    if bench.parquet_id is not None:
        tribunal = agent.service.jurisdiction_id
        procedures = list(
            Procedure.objects.filter(tribunal_id=tribunal)
            .order_by("pk")
            .values_list("pk", flat=True)[:50_000]
        )
        procedures = rng.sample(procedures, min(SAMPLE, len(procedures)))
        # Judged and not judged in turn, so that the counted ones show both shapes (the
        # judgments' decisions and sentences are two more queries).
        judged = set(
            Procedure.objects.filter(pk__in=procedures, judgments__isnull=False).values_list(
                "pk", flat=True
            )
        )
        procedures = _alternate(
            [pk for pk in procedures if pk in judged], [pk for pk in procedures if pk not in judged]
        )
    get = bench.get
    return [
        Scenario(
            "persons_search",
            "Personnes : recherche par nom",
            READ_TARGET_MS,
            [get(f"/persons?{urlencode({'q': name})}") for name in names],
            weight=3,
        ),
        Scenario(
            "persons_pages",
            "Personnes : liste filtrée, pages par curseur",
            READ_TARGET_MS,
            [get(url) for url in pages],
            weight=2,
        ),
        Scenario(
            "person",
            "Lire une personne",
            READ_TARGET_MS,
            [get(f"/persons/{pk}") for pk, _ in chosen],
            weight=3,
        ),
        Scenario(
            "person_convocations",
            "Convocations d’une personne",
            READ_TARGET_MS,
            [get(f"/persons/{pk}/convocations") for pk, _ in chosen],
            weight=3,
        ),
        Scenario(
            "convocation",
            "Lire une convocation",
            READ_TARGET_MS,
            [get(f"/convocations/{pk}") for pk in convocations],
        ),
        Scenario(
            "agendas",
            "Agendas du ressort",
            READ_TARGET_MS,
            [
                get(f"/agendas?{urlencode({'service': bench.spip_id, 'active': 'true'})}"),
                get("/agendas"),
            ],
        ),
        Scenario(
            "free_slots",
            "Créneaux libres d’un agenda",
            READ_TARGET_MS,
            [
                get(f"/agendas/{agenda}/free-slots?{urlencode({'starts_from': day})}")
                for agenda, day in slot_days
            ],
            weight=2,
        ),
        Scenario(
            "natinf",
            "Référentiel NATINF (recherche, fiche)",
            READ_TARGET_MS,
            [get(f"/referentials/offences?{urlencode({'q': word})}") for word in words]
            + [get(f"/referentials/offences/{number}") for number, _ in offences],
        ),
        Scenario(
            "services",
            "Référentiel des services (pages)",
            READ_TARGET_MS,
            [get(url) for url in services],
        ),
        *(
            [
                Scenario(
                    "procedure",
                    "Lire une procédure (parquet)",
                    READ_TARGET_MS,
                    [get(f"/procedures/{pk}", bench.parquet_id) for pk in procedures],
                    weight=2,
                )
            ]
            if procedures
            else []
        ),
        Scenario(
            "booking",
            "Convoquer (POST, date libre)",
            BOOKING_TARGET_MS,
            [bench.post("/convocations", body) for body in bookings],
            weight=2,
            writes=True,
        ),
    ]


# --- Served alone, in this process ---------------------------------------------------------


@dataclass
class Cost:
    queries: int
    wall_ms: float
    python_cpu_ms: float
    sql_ms: float


def _send(client: Any, request: WrkRequest) -> Any:
    headers = dict(request.headers)
    if request.method == "POST":
        headers["Idempotency-Key"] = f"bench-alone-{uuid.uuid4()}"
    content_type = headers.pop("Content-Type", "application/json")
    if request.method == "GET":
        return client.get(request.path, secure=True, headers=headers)
    return client.generic(
        request.method,
        request.path,
        request.body or "",
        content_type=content_type,
        secure=True,
        headers=headers,
    )


def measure_alone(scenarios: list[Scenario], per_scenario: int = COUNTED) -> dict[str, list[Cost]]:
    """The first ``per_scenario`` requests of each scenario, each after a warm-up request
    (for reads the same one; for bookings the next one of the list, never booked twice)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    costs: dict[str, list[Cost]] = {}
    client = Client(SERVER_NAME="127.0.0.1")
    for scenario in scenarios:
        costs[scenario.key] = []
        requests = scenario.requests
        if scenario.writes:
            pairs = [(requests[2 * i], requests[2 * i + 1]) for i in range(per_scenario)]
            del requests[: 2 * per_scenario]
        else:
            chosen = requests[:per_scenario]
            pairs = [(request, request) for request in chosen]
        for warm_up, request in pairs:
            _send(client, warm_up)
            with CaptureQueriesContext(connection) as queries:
                cpu, started = time.process_time(), time.perf_counter()
                response = _send(client, request)
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            if not 200 <= response.status_code < 300:
                raise SystemExit(
                    f"{request.method} {request.path} answered {response.status_code} in "
                    f"process: {response.content[:500]!r}"
                )
            sql = sum(float(query["time"]) for query in queries.captured_queries)
            costs[scenario.key].append(Cost(len(queries), wall * 1000, cpu * 1000, sql * 1000))
    return costs


# --- Under load ----------------------------------------------------------------------------


def mixed_listing(scenarios: list[Scenario], total: int, seed: int) -> list[WrkRequest]:
    """``total`` requests in the scenarios' weights, shuffled; each booking appears once."""
    rng = random.Random(seed)
    weights = sum(scenario.weight for scenario in scenarios)
    listing: list[WrkRequest] = []
    for scenario in scenarios:
        count = math.ceil(total * scenario.weight / weights)
        if scenario.writes:
            listing += scenario.requests[:count]
            del scenario.requests[:count]
        else:
            listing += [scenario.requests[i % len(scenario.requests)] for i in range(count)]
    rng.shuffle(listing)
    return listing


def bookings_needed(seconds: float) -> int:
    return math.ceil(MAX_RATE * seconds)


def measure(
    scenarios: list[Scenario],
    database_url: str,
    args: argparse.Namespace,
    say: Callable[[str], None],
) -> dict[str, LoadResult]:
    results: dict[str, LoadResult] = {}
    with Server(database_url, workers=args.workers, collect=False) as server:
        say(f"gunicorn on {server.url}, {args.workers} workers; warming up …")
        warm_up = mixed_listing(scenarios, bookings_needed(10) * 4, args.seed + 1)
        run_wrk(server.url, warm_up, connections=args.connections, seconds=10, accept_2xx=True)
        results["trivial"] = run_wrk(
            server.url, [("/livez", "")], connections=args.connections, seconds=args.seconds
        )
        say(f"trivial view: {results['trivial'].per_second:.0f} req/s")
        for scenario in scenarios:
            requests = scenario.requests
            if scenario.writes:
                requests = scenario.requests[: bookings_needed(args.seconds)]
                del scenario.requests[: len(requests)]
            result = run_wrk(
                server.url,
                requests,
                connections=args.connections,
                seconds=args.seconds,
                accept_2xx=True,
            )
            results[scenario.key] = result
            if scenario.writes and result.requests > len(requests):
                say(f"{scenario.key}: the pool ran out, bookings were sent twice")
            say(
                f"{scenario.key}: p95 {result.p95_ms:.1f} ms, {result.per_second:.1f} req/s, "
                f"errors {result.errors} (last {result.last_bad_status})"
            )
        listing = mixed_listing(
            scenarios,
            bookings_needed(args.mixed_seconds),
            args.seed,
        )
        results["mixed"] = run_wrk(
            server.url,
            listing,
            connections=args.mixed_connections,
            seconds=args.mixed_seconds,
            accept_2xx=True,
        )
        say(
            f"mixed: {results['mixed'].requests} requests, errors {results['mixed'].errors} "
            f"(last {results['mixed'].last_bad_status})"
        )
    return results


def generate_dataset(scale: str, seed: int, fraction: int) -> None:
    """The scale's synthetic dataset, or one ``fraction`` times smaller (same organisation)."""
    from io import StringIO

    from django.core.management import call_command

    from jalon.dataset.generate import SCALES

    # The other sizes (convocations, situations, procedures) follow the persons.
    persons = SCALES[scale].persons // fraction
    smaller = [f"--persons={persons}"] if fraction > 1 else []
    call_command(
        "generate_dataset", f"--scale={scale}", f"--seed={seed}", *smaller, stdout=StringIO()
    )


# --- Main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["small", "national"], default="small")
    parser.add_argument("--database", help="default: jalon_bench_api or jalon_national")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--mixed-seconds", type=float, default=120)
    parser.add_argument("--connections", type=int, default=2, help="per scenario")
    parser.add_argument("--mixed-connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--counts-only", type=Path, help="write the query counts here and stop")
    parser.add_argument(
        "--fraction",
        type=int,
        default=1,
        help="a dataset this many times smaller than the scale (with --counts-only)",
    )
    args = parser.parse_args()

    def say(text: str) -> None:
        print(f"[api {args.scale}] {text}", flush=True)

    load = Path("/proc/loadavg").read_text().split()[0]
    throwaway_name = "jalon_bench_api" + (f"_{args.fraction}" if args.fraction > 1 else "")
    database, throwaway = prepare_database(args.scale, args.database, throwaway_name)
    database_url = _database_url(database)
    with django_on(database_url):
        from django.core.management import call_command
        from django.db import connection

        from jalon.appointments.models import Appointment, AppointmentType
        from jalon.cases.models import Procedure
        from jalon.people.models import Follow, Person

        call_command("migrate", verbosity=0, skip_checks=True)
        if not Person.objects.exists():
            say(f"generating the {args.scale} dataset in {database} …")
            generate_dataset(args.scale, args.seed, args.fraction)
        bench = bench_client()
        seconds = 10 + args.seconds + args.mixed_seconds  # warm-up, alone, mixed
        pool = booking_pool(bench, 2 * COUNTED + bookings_needed(seconds) + 100, args.seed)
        scenarios = pick_scenarios(bench, args.seed, pool)
        booked_before = Appointment.objects.filter(created_by=bench.agent).count()
        costs = measure_alone(scenarios)
        if args.counts_only:
            counts = {key: [cost.queries for cost in values] for key, values in costs.items()}
            args.counts_only.write_text(json.dumps(counts))
            connection.close()
            if throwaway:
                admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            return
        # The second size: small for national, a tenth of small for small.
        other_label, other_args = (
            ("small", []) if args.scale == "national" else ("small ÷ 10", ["--fraction=10"])
        )
        say(f"counting the same endpoints' queries on a {other_label} dataset …")
        with tempfile.NamedTemporaryFile(suffix=".json") as output:
            subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--scale=small",
                    *other_args,
                    f"--seed={args.seed}",
                    f"--counts-only={output.name}",
                ],
                check=True,
            )
            other = (other_label, json.loads(Path(output.name).read_text()))
        kind = AppointmentType.objects.get(pk=pool[0]["appointment_type_id"])
        extra: dict[str, Any] = {
            **database_facts(),
            "load": load,
            "database": database,
            "persons": f"{Person.objects.count():,}",
            "appointments": f"{Appointment.objects.count():,}",
            "procedures": f"{Procedure.objects.count():,}",
            "followed": f"{Follow.objects.filter(service_id=bench.spip_id).count():,}",
            "booking_type": f"« {kind.label} »",
            "bookings": f"{len(pool):,} drawn",
        }
        connection.close()
        started = time.monotonic()
        results = measure(scenarios, database_url, args, say)
        say(f"measured in {time.monotonic() - started:.0f} s")
        extra["booked"] = Appointment.objects.filter(created_by=bench.agent).count() - booked_before
        text = report(args, scenarios, results, costs, other, extra)
        print(text)
        write_section(SECTION.format(scale=args.scale), text)
        connection.close()
    if throwaway:
        admin_sql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
