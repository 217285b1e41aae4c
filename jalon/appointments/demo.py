"""Demo places, agendas, persons and convocations on top of the demo organisation.

Idempotent. Persons get past convocations (some honoured, some missed, some still
without a status so that the "statut inconnu" queue has work) and future ones.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent, Service
from jalon.access.rules import appointments as rules
from jalon.appointments import actions
from jalon.appointments.models import Agenda, Appointment, AppointmentType, Place, Slot
from jalon.cases.actions.judgments import convocation_deadline
from jalon.cases.demo import BEX, PROBATION_SEQUENCE, demo_procedure
from jalon.core.dates import is_working_day
from jalon.people.models import Follow, Person

PLACES = [
    # service name, place name, address, phone, agendas
    ("SPIP du Bas-Rhin", "SPIP du Bas-Rhin — Strasbourg", "19 rue du Fossé des Treize\n67000 Strasbourg",
     "03 88 00 10 10", ["Équipe milieu ouvert 1", "Équipe milieu ouvert 2"]),
    ("Antenne SPIP de Saverne", "Antenne de Saverne", "2 rue du Tribunal\n67700 Saverne",
     "03 88 00 20 20", ["Permanence de Saverne"]),
    ("SAP du TJ de Strasbourg", "Tribunal judiciaire de Strasbourg — SAP",
     "1 quai Finkmatt\n67000 Strasbourg", "03 88 00 30 30", ["Cabinet JAP 1", "Cabinet JAP 2"]),
    ("SAP du TJ de Saverne", "Tribunal judiciaire de Saverne — SAP",
     "2 rue du Tribunal\n67700 Saverne", "03 88 00 40 40", ["Cabinet JAP"]),
    ("SPIP de la Guyane", "SPIP de la Guyane — Cayenne", "12 rue Schœlcher\n97300 Cayenne",
     "0594 00 10 10", ["Milieu ouvert Cayenne"]),
    ("SAP du TJ de Cayenne", "Tribunal judiciaire de Cayenne — SAP",
     "9 avenue du Général de Gaulle\n97300 Cayenne", "0594 00 20 20", ["Cabinet JAP"]),
]  # fmt: skip

PERSONS = [
    # last name, first names, birth date, phone, service name, agent e-mail, type code
    ("Schneider", "Lucas", date(1994, 3, 12), "+33612345601", "SPIP du Bas-Rhin", "cpip@jalon.test", "spip_follow_up"),
    ("Lévêque", "Jean-Pierre", date(1978, 11, 2), "+33612345602", "SPIP du Bas-Rhin", "cpip@jalon.test", "spip_follow_up"),
    ("Nguyen", "Thi Lan", date(1988, 7, 21), None, "SPIP du Bas-Rhin", "cpip@jalon.test", "spip_first"),
    ("Ben Saïd", "Mehdi", date(2001, 1, 30), "+33612345604", "SAP du TJ de Strasbourg", "jap@jalon.test", "jap_follow_up"),
    ("Muller", "Océane", date(1996, 9, 5), "+33712345605", "SAP du TJ de Strasbourg", "jap@jalon.test", "jap_follow_up"),
    ("Koffi", "Emmanuel", date(1985, 4, 18), "+33612345606", "Antenne SPIP de Saverne", "cpip.saverne@jalon.test", "spip_follow_up"),
    ("Pinas", "Jordan", date(1999, 12, 24), "+594694201201", "SPIP de la Guyane", "cpip.cayenne@jalon.test", "spip_follow_up"),
    ("Da Silva", "Maria", date(1990, 6, 10), "+594694201202", "SPIP de la Guyane", "cpip.cayenne@jalon.test", "spip_first"),
]  # fmt: skip

# Days relative to today, and what happened: past ones mostly have an outcome.
HISTORY = [
    (-60, Appointment.Status.HONOURED),
    (-30, Appointment.Status.MISSED),
    (-9, Appointment.Status.BOOKED),  # statut inconnu
    (0, Appointment.Status.BOOKED),  # today (the next working day on a day off): home pages
    (2, Appointment.Status.BOOKED),
    (12, Appointment.Status.BOOKED),
]


def _working_day(service: Service, offset: int) -> date:
    day = timezone.localdate() + timedelta(days=offset)
    while not is_working_day(day, service.holiday_subdivision):
        day += timedelta(days=1 if offset >= 0 else -1)
    return day


@transaction.atomic
def load_convocation_demo() -> None:
    services = {service.name: service for service in Service.objects.all()}
    agendas: dict[str, Agenda] = {}
    for service_name, place_name, address, place_phone, agenda_names in PLACES:
        place, _ = Place.objects.update_or_create(
            service=services[service_name],
            name=place_name,
            defaults={
                "address": address,
                "phone": place_phone,
                "accessibility_notes": "Accès de plain-pied ; ascenseur à l’accueil.",
            },
        )
        for index, agenda_name in enumerate(agenda_names):
            agenda, _ = Agenda.objects.get_or_create(place=place, name=agenda_name)
            if index == 0:
                agendas[service_name] = agenda
    types = {kind.code: kind for kind in AppointmentType.objects.all()}
    agents = {agent.email: agent for agent in Agent.objects.filter(email__endswith="@jalon.test")}
    for last_name, first_names, born, phone, service_name, email, type_code in PERSONS:
        service = services[service_name]
        person, created = Person.objects.get_or_create(
            last_name=last_name.upper(),
            birth_date=born,
            defaults={
                "first_names": first_names,
                "phone": phone,
                "has_no_mobile": phone is None,
                "created_by": agents[email],
                "referent": agents[email] if "cpip" in email else None,
            },
        )
        Follow.objects.get_or_create(person=person, service=service)
        if not created:
            continue
        agenda = agendas[service_name]
        zone = ZoneInfo(service.time_zone)
        for offset, status in HISTORY:
            starts_at = datetime.combine(
                _working_day(service, offset), time(9 + len(last_name) % 7, 30), tzinfo=zone
            )
            kind = types[type_code]
            Appointment.objects.create(
                person=person,
                appointment_type=kind,
                agenda=agenda,
                service=service,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=kind.default_duration_minutes),
                status=status,
                assigned_agent=agents[email],
                created_by=agents[email],
                created_by_service=service,
                outcome_at=starts_at if status != Appointment.Status.BOOKED else None,
                outcome_by=agents[email] if status != Appointment.Status.BOOKED else None,
            )
    load_hearing_demo()


# Sortie d'audience (MSJ-05): slots the BEX books at the end of a hearing, and a few communes
# so that an inter-ressort BEX (Saverne in the demo) can book where the person lives.
HEARING_SLOTS = [
    # service name, type code, local times, places
    ("SAP du TJ de Strasbourg", "sortie_audience_sap", [time(9), time(9, 30), time(10)], 1),
    ("SPIP du Bas-Rhin", "sortie_audience_spip", [time(14), time(14, 45), time(15, 30)], 2),
    ("SAP du TJ de Saverne", "sortie_audience_sap", [time(9, 30), time(10, 30)], 1),
    ("Antenne SPIP de Saverne", "sortie_audience_spip", [time(14)], 2),
    ("SAP du TJ de Cayenne", "sortie_audience_sap", [time(9)], 1),
    ("SPIP de la Guyane", "sortie_audience_spip", [time(14)], 2),
]
HEARING_DAYS = 10
DEMO_COMMUNES = [
    # INSEE code, name, postal codes, TJ code, SPIP name
    ("67482", "Strasbourg", ["67000", "67100", "67200"], "tj-strasbourg", "SPIP du Bas-Rhin"),
    ("67218", "Illkirch-Graffenstaden", ["67400"], "tj-strasbourg", "SPIP du Bas-Rhin"),
    ("67437", "Saverne", ["67700"], "tj-saverne", "Antenne SPIP de Saverne"),
    ("97302", "Cayenne", ["97300"], "tj-cayenne", "SPIP de la Guyane"),
]


@transaction.atomic
def load_hearing_demo() -> None:
    """Sortie d'audience slots over the next working days, demo communes, one inter-ressort BEX."""
    from jalon.access.models import Jurisdiction
    from jalon.territory.models import Commune

    types = {kind.code: kind for kind in AppointmentType.objects.all()}
    for service_name, type_code, times, capacity in HEARING_SLOTS:
        agenda = (
            Agenda.objects.filter(place__service__name=service_name, is_active=True)
            .select_related("place__service")
            .order_by("pk")
            .first()
        )
        if agenda is None:
            continue
        service = agenda.place.service
        zone = ZoneInfo(service.time_zone)
        days = [_working_day(service, offset) for offset in range(1, HEARING_DAYS + 1)]
        for day in sorted(set(days)):
            for at in times:
                Slot.objects.get_or_create(
                    agenda=agenda,
                    appointment_type=types[type_code],
                    starts_at=datetime.combine(day, at, tzinfo=zone),
                    defaults={"duration_minutes": 30, "capacity": capacity},
                )
    tribunals = {jurisdiction.code: jurisdiction for jurisdiction in Jurisdiction.objects.all()}
    services = {service.name: service for service in Service.objects.all()}
    for insee, name, postal_codes, tj_code, spip_name in DEMO_COMMUNES:
        if tj_code in tribunals and spip_name in services:
            Commune.objects.update_or_create(
                insee_code=insee,
                defaults={
                    "name": name,
                    "postal_codes": postal_codes,
                    "tribunal": tribunals[tj_code],
                    "spip": services[spip_name],
                },
            )
    Service.objects.filter(name="BEX du TJ de Saverne").update(inter_ressort=True)


@transaction.atomic
def load_penal_convocation_demo() -> int:
    """The sortie d'audience of the demo's sursis probatoire (``jalon.cases.demo``): the BEX
    books, on the first sortie d'audience slot of each service a measure went to, within the
    art. 474 delay, the convicted person with the judgment's numéro de parquet, as the
    screen opened from the judgment does. Nothing is typed: person, service and number come
    from the judgment and its measures. How many convocations were booked."""
    procedure = demo_procedure(PROBATION_SEQUENCE)
    agent = Agent.objects.select_related("service").filter(email=BEX, is_active=True).first()
    if procedure is None or agent is None:
        return 0
    judgment = (
        procedure.judgments.filter(replaced_by__isnull=True, party__isnull=False)
        .select_related("party__person", "execution")
        .first()
    )
    if judgment is None or judgment.party is None:
        return 0
    person = judgment.party.person
    booked = Appointment.objects.filter(person=person, prosecution_number=procedure.parquet_number)
    if booked.exists():
        return 0
    execution = judgment.execution
    service_ids = rules.hearing_service_ids(agent)
    requests = []
    for measure in execution.measures.select_related("service").order_by("pk"):
        service = measure.service
        deadline = convocation_deadline(execution, service.kind)
        for kind in rules.hearing_offered_types(agent, service_ids):
            if service.kind not in kind.service_kinds:
                continue
            slots = rules.hearing_slots(agent, kind, service_ids).filter(
                agenda__place__service=service
            )
            if deadline is not None:
                end = datetime.combine(
                    deadline + timedelta(days=1), time(), tzinfo=ZoneInfo(service.time_zone)
                )
                slots = slots.filter(starts_at__lt=end)
            slot = slots.order_by("starts_at", "pk").first()
            if slot is not None:
                requests.append(actions.BookingRequest(slot=slot, key=kind.code))
    if not requests:
        return 0
    _, appointments = actions.register_and_book(
        agent=agent,
        person=person,
        bookings=requests,
        prosecution_number=procedure.parquet_number,  # canonical, as the form cleans it
        judgment=judgment,  # the convocation executes the measure, as booked from the screen
    )
    return len(appointments)
