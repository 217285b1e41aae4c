"""The SMS refusals the database keeps per area (``stats/maintained_refusals.py``) equal a
recount of the follows and persons (``verify.recount_refusals``: plain SQL, sets of persons
in Python), for every area, after each kind of write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from jalon.people.models import Follow, Person
from jalon.stats import maintained_refusals
from jalon.stats.models import RefusalChange
from jalon.stats.queries import Area, sms_refusals
from jalon.stats.verify import recount_refusals
from tests.factories import PersonFactory, ServiceFactory

MOMENT = dt.datetime(2027, 3, 1, 10, tzinfo=dt.UTC)


@pytest.fixture
def areas(org):
    at_ca = ServiceFactory(name="Service de la cour", jurisdiction=org.ca)
    services = [org.spip_alpha, org.sap_alpha, org.bex_alpha, org.sap_beta, at_ca]
    return [
        *(Area("service", service.pk) for service in services),
        Area("jurisdiction", org.tj_alpha.pk),
        Area("jurisdiction", org.tj_beta.pk),
        Area("jurisdiction", org.ca.pk),
        Area("court_of_appeal", org.ca.pk),
        Area("national"),
    ]


def assert_exact(areas) -> None:
    kept = {area: sms_refusals(area) for area in areas}
    assert kept == {area: recount_refusals(area) for area in areas}


def follow(person, *services) -> None:
    Follow.objects.bulk_create([Follow(person=person, service=service) for service in services])


def test_each_write_on_follows_and_persons_moves_exactly_its_areas(org, areas):
    refusing = PersonFactory(refuses_sms=True)
    other = PersonFactory()
    follow(refusing, org.spip_alpha)
    assert sms_refusals(Area("jurisdiction", org.tj_alpha.pk)) == (1, 1)
    assert_exact(areas)

    # A second service of the same TJ: once for the TJ and the court of appeal.
    follow(refusing, org.sap_alpha, org.sap_beta)
    follow(other, org.sap_alpha)
    assert sms_refusals(Area("jurisdiction", org.tj_alpha.pk)) == (1, 2)
    assert sms_refusals(Area("court_of_appeal", org.ca.pk)) == (1, 2)
    assert_exact(areas)

    Follow.objects.filter(person=refusing, service=org.spip_alpha).delete()
    assert sms_refusals(Area("jurisdiction", org.tj_alpha.pk)) == (1, 2)  # still by the SAP
    Follow.objects.filter(person=refusing, service=org.sap_alpha).update(service=org.bex_alpha)
    assert_exact(areas)

    Person.objects.filter(pk=refusing.pk).update(refuses_sms=False)
    Person.objects.filter(pk=other.pk).update(refuses_sms=True)
    assert sms_refusals(Area("national")) == (1, 2)
    assert_exact(areas)

    Person.objects.filter(pk=other.pk).update(archived_at=MOMENT)
    assert sms_refusals(Area("national")) == (0, 1)
    assert_exact(areas)

    Follow.objects.filter(person=refusing).delete()
    refusing.delete()
    assert sms_refusals(Area("national")) == (0, 0)
    assert_exact(areas)


def test_a_service_moved_to_another_jurisdiction_recounts(org, areas):
    follow(PersonFactory(refuses_sms=True), org.sap_beta)
    org.sap_beta.jurisdiction = org.tj_alpha
    org.sap_beta.save()
    assert sms_refusals(Area("jurisdiction", org.tj_alpha.pk)) == (1, 1)
    assert sms_refusals(Area("jurisdiction", org.tj_beta.pk)) == (0, 0)
    assert_exact(areas)


def test_a_rolled_back_write_leaves_no_change(org, areas):
    person = PersonFactory(refuses_sms=True)
    with pytest.raises(RuntimeError), transaction.atomic():
        follow(person, org.spip_alpha)
        raise RuntimeError
    assert not RefusalChange.objects.exists()
    assert_exact(areas)


def test_fold_moves_the_changes_and_rebuild_recounts(org, areas):
    follow(PersonFactory(refuses_sms=True), org.spip_alpha, org.sap_beta)
    follow(PersonFactory(archived_at=timezone.now()), org.spip_alpha)
    assert maintained_refusals.fold() > 0
    assert not RefusalChange.objects.exists()
    assert_exact(areas)

    with connection.cursor() as cursor:  # as a bulk load with triggers off would leave them
        cursor.execute("DELETE FROM stats_refusalcount")
    assert sms_refusals(Area("national")) == (0, 0)
    maintained_refusals.rebuild()
    assert_exact(areas)
