"""Factories for the organisation model, with traits for the usual shapes."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jalon.access.models import Agent, Jurisdiction, Profile, Service
from jalon.access.roles import ServiceKind

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
