"""Factories for the organisation model, with traits for the usual shapes."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.access.roles import ServiceKind
from tests.dates import working_day_at

if TYPE_CHECKING:
    from jalon.appointments.models import AppointmentType

PASSWORD = "Un-mot-de-passe-solide-42"


class CourtOfAppealFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    kind = Jurisdiction.Kind.COURT_OF_APPEAL
    name = factory.Sequence(lambda n: f"Cour d’appel n°{n}")
    code = factory.Sequence(lambda n: f"ca-{n}")


class TribunalFactory(DjangoModelFactory):
    class Meta:
        model = Jurisdiction
        django_get_or_create = ("code",)

    kind = Jurisdiction.Kind.JUDICIAL_COURT
    name = factory.Sequence(lambda n: f"Tribunal judiciaire n°{n}")
    code = factory.Sequence(lambda n: f"tj-{n}")
    court_of_appeal = factory.SubFactory(CourtOfAppealFactory)


class ServiceFactory(DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Service n°{n}")
    kind = ServiceKind.SAP
    jurisdiction = factory.SubFactory(TribunalFactory)
    email = factory.Sequence(lambda n: f"service{n}@jalon.test")

    class Params:
        national = factory.Trait(
            kind=ServiceKind.NATIONAL, jurisdiction=None, name="Administration centrale"
        )

    @factory.post_generation
    def served(self, create: bool, extracted: list[Jurisdiction] | None, **kwargs: object) -> None:
        if create and extracted:
            self.served_jurisdictions.set(extracted)


class AgentFactory(DjangoModelFactory):
    class Meta:
        model = Agent
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@jalon.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    service = factory.SubFactory(ServiceFactory)
    profile = factory.LazyFunction(lambda: Profile.objects.get(code="greff_sap"))
    charter_accepted_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(PASSWORD)

    class Params:
        new = factory.Trait(charter_accepted_at=None)


def profile(code: str) -> Profile:
    return Profile.objects.get(code=code)


class PersonFactory(DjangoModelFactory):
    """A person followed by ``followed_by`` (a list of services) when given."""

    class Meta:
        model = "people.Person"
        skip_postgeneration_save = True

    last_name = factory.Sequence(lambda n: f"Martin{n}")
    first_names = "Jean"
    birth_date = datetime.date(1990, 5, 17)
    phone = factory.Sequence(lambda n: f"+3361{n:07d}")

    @factory.post_generation
    def followed_by(self, create: bool, extracted: list[Service] | None, **kwargs: object) -> None:
        if create and extracted:
            for service in extracted:
                self.follows.create(service=service)


class PlaceFactory(DjangoModelFactory):
    class Meta:
        model = "appointments.Place"

    service = factory.SubFactory(ServiceFactory)
    name = factory.Sequence(lambda n: f"Lieu n°{n}")
    address = "1 rue du Palais\n67000 Strasbourg"
    phone = "03 88 00 00 00"


class AgendaFactory(DjangoModelFactory):
    class Meta:
        model = "appointments.Agenda"

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Agenda n°{n}")


def appointment_type(code: str) -> AppointmentType:
    from jalon.appointments.models import AppointmentType

    return AppointmentType.objects.get(code=code)


class AppointmentFactory(DjangoModelFactory):
    """A convocation written directly (past ones included), bypassing the booking rules."""

    class Meta:
        model = "appointments.Appointment"

    person = factory.SubFactory(PersonFactory)
    appointment_type = factory.LazyFunction(lambda: appointment_type("spip_follow_up"))
    agenda = factory.SubFactory(AgendaFactory)
    service = factory.LazyAttribute(lambda o: o.agenda.place.service)
    # A day the service holds convocations, whatever day the tests run.
    starts_at = factory.LazyAttribute(lambda o: working_day_at(3, service=o.service))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(minutes=30))
    created_by_service = factory.LazyAttribute(lambda o: o.service)


class MessageFactory(DjangoModelFactory):
    """An SMS written directly, bypassing ``jalon.sms.actions`` (no job is deferred): a
    reminder of a convocation, due two days before it, created with it, unless told."""

    class Meta:
        model = "sms.Message"

    kind = "reminder"  # MessageKind.REMINDER
    appointment = factory.SubFactory(AppointmentFactory)
    person = factory.LazyAttribute(lambda o: o.appointment.person)
    service = factory.LazyAttribute(lambda o: o.appointment.service)
    phone = factory.LazyAttribute(lambda o: o.person.phone)
    send_after = factory.LazyAttribute(
        lambda o: o.appointment.starts_at - datetime.timedelta(days=2)
    )
    created_at = factory.LazyAttribute(lambda o: o.appointment.created_at)
    text = factory.LazyAttribute(lambda o: f"Rappel pour {o.person}")


# --- Situations (SISPoPP) ------------------------------------------------------------------


def policy(code: str = "vif") -> object:
    from jalon.situations.models import Policy

    return Policy.objects.get(code=code, jurisdiction=None)


class SituationFactory(DjangoModelFactory):
    """A situation written directly; ``jurisdiction`` is required."""

    class Meta:
        model = "situations.Situation"

    policy = factory.LazyFunction(policy)
    mec = factory.SubFactory(PersonFactory)
    next_review_on = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=90)
    )


class VictimFactory(DjangoModelFactory):
    class Meta:
        model = "situations.Victim"

    last_name = factory.Sequence(lambda n: f"Victime{n}")
    first_names = "Alice"


class ListEntryFactory(DjangoModelFactory):
    class Meta:
        model = "situations.ListEntry"

    name = factory.Sequence(lambda n: f"Entrée n°{n}")
    kind = "instance"


class SlotFactory(DjangoModelFactory):
    """A slot written directly (a sortie d'audience SAP slot on the service's first working
    day two days ahead unless told)."""

    class Meta:
        model = "appointments.Slot"

    agenda = factory.SubFactory(AgendaFactory)
    appointment_type = factory.LazyFunction(lambda: appointment_type("sortie_audience_sap"))
    # A working day of the service, one half-hour after another (a slot is unique per
    # agenda, type and start).
    starts_at = factory.LazyAttributeSequence(
        lambda o, n: (
            working_day_at(2, 9, service=o.agenda.place.service)
            + datetime.timedelta(minutes=30 * (n % 16))
        )
    )
    duration_minutes = 30
    capacity = 1


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = "territory.Commune"
        django_get_or_create = ("insee_code",)

    insee_code = factory.Sequence(lambda n: f"{67000 + n % 999 + 1:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    postal_codes = factory.LazyFunction(lambda: ["67000"])


# --- Penal chain (cases) ------------------------------------------------------------------


class NatinfEditionFactory(DjangoModelFactory):
    class Meta:
        model = "cases.NatinfEdition"
        django_get_or_create = ("name",)

    name = "test"
    in_force_from = datetime.date(2000, 1, 1)


class OffenceFactory(DjangoModelFactory):
    """A NATINF offence (a délit in force since 2000 unless told)."""

    class Meta:
        model = "cases.Offence"
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: 900000 + n)
    number_key = factory.LazyAttribute(lambda o: str(o.number))
    nature = "Délit"
    kind = "delit"
    qualification = factory.Sequence(lambda n: f"Infraction de test n°{n}")
    in_force_from = datetime.date(2000, 1, 1)
    retired_from = None
    first_edition = factory.SubFactory(NatinfEditionFactory)
    last_edition = factory.SelfAttribute("first_edition")

    class Params:
        crime = factory.Trait(kind="crime", nature="Crime")
        contravention = factory.Trait(
            kind="contravention", nature="Contravention de 5e classe", contravention_class=5
        )


class ProcedureFactory(DjangoModelFactory):
    """A procedure written directly (registered at a TJ, received on 1 March 2027)."""

    class Meta:
        model = "cases.Procedure"

    tribunal = factory.SubFactory(TribunalFactory)
    parquet_number = factory.Sequence(lambda n: f"27060{n + 1:06d}")
    origin = "police"
    received_on = datetime.date(2027, 3, 1)
    registered_at = factory.LazyFunction(timezone.now)


class PartyFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Party"

    procedure = factory.SubFactory(ProcedureFactory)
    person = factory.SubFactory(PersonFactory)
    role = "suspect"
    minor_at_facts = False


class ChargeFactory(DjangoModelFactory):
    class Meta:
        model = "cases.Charge"

    procedure = factory.SubFactory(ProcedureFactory)
    party = None
    offence = factory.SubFactory(OffenceFactory)
    qualification_text = factory.LazyAttribute(lambda o: o.offence.qualification)
    facts_from = datetime.date(2027, 2, 1)
