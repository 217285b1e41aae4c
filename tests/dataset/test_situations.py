"""Situations of the synthetic dataset: shape, determinism, valid rows, usable pages, reset."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from jalon.access.models import Agent, Jurisdiction
from jalon.dataset import situations as phase
from jalon.dataset.generate import SCALES, Sizes, generate, reset
from jalon.dataset.geography import courts
from jalon.history.models import Event
from jalon.people.models import Follow
from jalon.situations.models import (
    VIF_CODE,
    JafSection,
    ListEntry,
    Measure,
    Policy,
    Procedure,
    Review,
    Situation,
    SituationEvent,
    Victim,
)
from tests.dataset.test_generate import checksums as table_checksums

ANCHOR = datetime.date(2027, 7, 5)
TOTAL = SCALES["small"].situation_count
SITUATION_TABLES = [
    "situations_listentry",
    "situations_situation",
    "situations_situation_instances",
    "situations_victim",
    "situations_procedure",
    "situations_measure",
    "situations_jafsection",
    "situations_situationevent",
    "situations_review",
]


def checksums() -> dict[str, str]:
    return table_checksums(SITUATION_TABLES)


def small(seed: int = 7, sizes: Sizes | None = None) -> None:
    generate(scale="small", seed=seed, anchor=ANCHOR, sizes=sizes, do_reset=True, analyze=False)


@pytest.fixture(scope="module")
def dataset(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, str]]:
    """One small-scale run (seed 7) committed for this module, deleted when it is done."""
    with django_db_blocker.unblock():
        small()
        yield checksums()
        with transaction.atomic():
            reset()


def near(value: float, expected: float, count: int) -> bool:
    """Within three standard deviations of a share drawn ``count`` times (plus rounding)."""
    return abs(value - expected) <= 3 * math.sqrt(expected * (1 - expected) / count) + 0.005


@pytest.mark.django_db
def test_same_seed_gives_the_same_situations(dataset):
    small(seed=7)
    assert checksums() == dataset
    assert None not in dataset.values()


@pytest.mark.django_db
def test_another_seed_gives_other_situations():
    tiny = Sizes(persons=300, appointments=1_500, pairs=14, situations=60)
    small(seed=7, sizes=tiny)
    first = checksums()
    small(seed=8, sizes=tiny)
    assert Situation.objects.count() == 60
    assert checksums()["situations_situation"] != first["situations_situation"]


@pytest.mark.django_db
def test_situations_are_spread_over_jurisdictions_by_size(dataset):
    assert Situation.objects.count() == TOTAL == 1_000
    at_cas = round(TOTAL * phase.CA_SHARE)
    weights = {f"Tribunal judiciaire de {court.city}": court.weight for court in courts("small")}
    found = dict(
        Situation.objects.values_list("jurisdiction__name").annotate(n=Count("pk")).order_by()
    )
    for name, weight in weights.items():
        expected = (TOTAL - at_cas) * weight / sum(weights.values())
        assert abs(found[name] - expected) <= 1, name
    ca_counts = Situation.objects.filter(jurisdiction__kind=Jurisdiction.Kind.COURT_OF_APPEAL)
    assert ca_counts.count() == at_cas
    assert ca_counts.values("jurisdiction").distinct().count() == 2


@pytest.mark.django_db
def test_policies_flags_and_dates_have_the_specified_proportions(dataset):
    situations = Situation.objects.all()
    vif = situations.filter(policy__code=VIF_CODE)
    assert near(vif.count() / TOTAL, phase.VIF_SHARE, TOTAL)
    others = set(situations.exclude(policy__code=VIF_CODE).values_list("policy__code", flat=True))
    assert others == {code for code, _, _ in phase.DATASET_POLICIES}
    assert Policy.objects.filter(jurisdiction__isnull=False).count() == 0

    # "Procédure JAF" only on VIF situations, about a fifth of all.
    assert situations.filter(mec_procedure_jaf=True).exclude(policy__code=VIF_CODE).count() == 0
    assert near(situations.filter(mec_procedure_jaf=True).count() / TOTAL, phase.JAF_SHARE, TOTAL)
    # "OP" on some VIF victims only; the JAF sees those situations (SIS-24, SIS-25).
    victims = Victim.objects.filter(situation__policy__code=VIF_CODE)
    assert near(
        victims.filter(protection_order=True).count() / victims.count(), 0.2, victims.count()
    )
    assert (
        not Victim.objects.filter(protection_order=True)
        .exclude(situation__policy__code=VIF_CODE)
        .exists()
    )
    assert situations.jaf_relevant().count() > situations.filter(mec_procedure_jaf=True).count()

    # Appeal: a tenth of TJ situations, never a court of appeal's own.
    tj = situations.filter(jurisdiction__kind=Jurisdiction.Kind.JUDICIAL_COURT)
    assert near(tj.filter(appeal=True).count() / tj.count(), phase.APPEAL_SHARE, tj.count())
    assert not situations.filter(appeal=True, jurisdiction__kind="ca").exists()

    # A quarter closed; opened over the last three years; reviews around the anchor.
    assert near(situations.exclude(closed_on=None).count() / TOTAL, phase.CLOSED_SHARE, TOTAL)
    first = timezone.make_aware(datetime.datetime.combine(ANCHOR, datetime.time()))
    first -= datetime.timedelta(days=3 * 365 + 1)
    assert not situations.filter(created_at__lt=first).exists()
    assert situations.filter(created_at__lt=first + datetime.timedelta(days=365)).exists()
    open_ = situations.open()
    overdue = situations.overdue(ANCHOR).count()
    assert near(overdue / open_.count(), phase.OVERDUE_SHARE, open_.count())
    longest = max(days for _, _, days in [*phase.DATASET_POLICIES, ("vif", "", 90)])
    assert not open_.filter(
        Q(next_review_on__lt=ANCHOR - datetime.timedelta(days=60))
        | Q(next_review_on__gt=ANCHOR + datetime.timedelta(days=longest))
    ).exists()
    assert not situations.filter(closed_on__gt=ANCHOR).exists()


@pytest.mark.django_db
def test_each_situation_has_its_parts(dataset):
    def spread(model: Any) -> set[int]:
        counts = dict(model.objects.values_list("situation").annotate(n=Count("pk")).order_by())
        return {counts.get(pk, 0) for pk in Situation.objects.values_list("pk", flat=True)}

    assert spread(Victim) == {1, 2}
    assert spread(Procedure) == {1, 2}
    assert spread(Measure) == {0, 1, 2}
    assert spread(Review) <= {0, 1, 2, 3} and len(spread(Review)) >= 3
    assert min(spread(SituationEvent)) >= 1
    assert Procedure.objects.filter(nature=Procedure.Nature.CIVIL).exists()
    assert JafSection.objects.exists()
    assert Situation.objects.filter(instances__isnull=False).exists()
    assert Situation.objects.exclude(cabinet_jap=None).exists()
    # Reviews end where the situation's next review is computed from (SIS-03).
    for situation in Situation.objects.filter(review_date_is_manual=False).prefetch_related(
        "reviews"
    )[:200]:
        reviews = list(situation.reviews.all())
        if reviews and situation.closed_on is None:
            assert reviews[0].next_review_on == situation.next_review_on
    # Every record has its history, as the app's actions write it.
    created = Event.objects.filter(action="situation.created").count()
    assert created == TOTAL
    assert (
        Event.objects.filter(action="situation.review_recorded").count() == Review.objects.count()
    )
    closed = Situation.objects.exclude(closed_on=None)
    assert Event.objects.filter(action="situation.closed").count() == closed.count()
    assert SituationEvent.objects.filter(text__startswith="Situation clôturée : ").count() == (
        closed.count()
    )


@pytest.mark.django_db
def test_every_mec_is_a_generated_person_of_the_jurisdictions_area(dataset):
    """Nobody typed twice: the MEC is a person the SPIP of that TJ (or of a TJ of that CA)
    already follows, and the parquet now follows it too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM situations_situation s "
            "JOIN access_jurisdiction j ON j.id = s.jurisdiction_id "
            "WHERE NOT EXISTS (SELECT 1 FROM people_follow f "
            " JOIN access_service v ON v.id = f.service_id "
            " JOIN access_jurisdiction t ON t.id = v.jurisdiction_id "
            " WHERE f.person_id = s.mec_id AND v.kind IN ('spip', 'spip_antenna') "
            " AND (t.id = j.id OR t.court_of_appeal_id = j.id))"
        )
        assert cursor.fetchone()[0] == 0
        orphans = {
            "situation→person": "situations_situation s LEFT JOIN people_person p ON p.id = s.mec_id WHERE p.id IS NULL",
            "situation→policy": "situations_situation s LEFT JOIN situations_policy p ON p.id = s.policy_id WHERE p.id IS NULL",
            "situation→author": "situations_situation s LEFT JOIN access_agent a ON a.id = s.created_by_id WHERE a.id IS NULL",
            "cabinet→jurisdiction": "situations_situation s JOIN situations_listentry e ON e.id IN (s.cabinet_je_id, s.cabinet_jap_id, s.cabinet_ji_id) WHERE e.jurisdiction_id <> s.jurisdiction_id",
            "instance→jurisdiction": "situations_situation_instances i JOIN situations_situation s ON s.id = i.situation_id JOIN situations_listentry e ON e.id = i.listentry_id WHERE e.jurisdiction_id <> s.jurisdiction_id OR e.kind <> 'instance'",
            "victim→situation": "situations_victim v LEFT JOIN situations_situation s ON s.id = v.situation_id WHERE s.id IS NULL",
            "review→situation": "situations_review r LEFT JOIN situations_situation s ON s.id = r.situation_id WHERE s.id IS NULL",
            "event→situation": "situations_situationevent e LEFT JOIN situations_situation s ON s.id = e.situation_id WHERE s.id IS NULL",
            "history→situation": "history_event e LEFT JOIN situations_situation s ON s.id::text = e.target_id WHERE e.action LIKE 'situation.%%' AND s.id IS NULL",
        }
        for name, join in orphans.items():
            cursor.execute(f"SELECT count(*) FROM {join}")  # noqa: S608 - constant joins
            assert cursor.fetchone()[0] == 0, name
        # The parquet that entered the situation follows its MEC, as creating it in the app does.
        cursor.execute(
            "SELECT count(*) FROM situations_situation s WHERE NOT EXISTS ("
            " SELECT 1 FROM people_follow f JOIN access_service v ON v.id = f.service_id"
            " WHERE f.person_id = s.mec_id AND v.jurisdiction_id = s.jurisdiction_id"
            " AND v.kind IN ('parquet', 'parquet_general'))"
        )
        assert cursor.fetchone()[0] == 0
    assert Follow.objects.filter(service__kind__in=["parquet", "parquet_general"]).exists()
    # Rows are valid for the models' own checks, and new rows get ids after the generated ones.
    for model in (Situation, Victim, Procedure, Measure, Review, SituationEvent, ListEntry):
        for row in model.objects.order_by("pk")[::97]:
            row.full_clean(validate_unique=False)
    assert (
        ListEntry.objects.create(
            jurisdiction=Jurisdiction.objects.first(), kind="instance", name="Nouvelle instance"
        ).pk
        > ListEntry.objects.exclude(name="Nouvelle instance").order_by("-pk").first().pk
    )


def _parquet_of(jurisdiction: Jurisdiction, profile: str) -> Agent:
    agent = Agent.objects.filter(
        service__jurisdiction=jurisdiction, profile__code=profile
    ).order_by("pk")[0]
    agent.charter_accepted_at = timezone.now()
    agent.save(update_fields=["charter_accepted_at"])
    return agent


@pytest.mark.django_db
def test_the_tracking_table_and_the_records_render_for_a_parquet_agent(dataset, client):
    strasbourg = Jurisdiction.objects.get(name="Tribunal judiciaire de Strasbourg")
    agent = _parquet_of(strasbourg, "parquet")
    moment = datetime.datetime.combine(ANCHOR, datetime.time(9), tzinfo=datetime.UTC)
    with time_machine.travel(moment.timestamp(), tick=False):
        client.force_login(agent, backend="jalon.access.backends.AgentBackend")
        response = client.get("/situations/")
        assert response.status_code == 200
        first = response.context["page"].object_list[0]
        assert first.jurisdiction_id == strasbourg.pk
        assert first.mec.last_name in response.content.decode()
        here = Situation.objects.filter(jurisdiction=strasbourg)
        assert response.context["page"].paginator.count == here.open().count()
        every = client.get("/situations/", {"etat": "toutes"})
        assert every.context["page"].paginator.count == here.count()
        overdue = client.get("/situations/", {"echeance": "retard"})
        assert overdue.status_code == 200
        assert overdue.context["page"].paginator.count == (
            Situation.objects.filter(jurisdiction=strasbourg).overdue(ANCHOR).count()
        )
        assert client.get("/situations/pilotage/").status_code == 200
        situation = (
            Situation.objects.filter(jurisdiction=strasbourg, mec_procedure_jaf=True)
            .annotate(reviews_count=Count("reviews"))
            .filter(reviews_count__gt=0)
            .order_by("pk")
            .first()
        )
        assert situation is not None
        page = client.get(f"/situations/{situation.pk}/")
        assert page.status_code == 200
        assert situation.mec.last_name in page.content.decode()
        for tab in (
            "victimes",
            "procedures",
            "documents",
            "mesures",
            "jaf",
            "evenements",
            "revues",
        ):
            assert client.get(f"/situations/{situation.pk}/{tab}/").status_code == 200, tab


@pytest.mark.django_db
def test_the_court_of_appeal_sees_its_own_situations_and_the_tj_appeals(dataset, client):
    colmar = Jurisdiction.objects.get(name="Cour d’appel de Colmar")
    agent = _parquet_of(colmar, "parquet_general")
    client.force_login(agent, backend="jalon.access.backends.AgentBackend")
    response = client.get("/situations/", {"appel": "oui", "etat": "toutes"})
    assert response.status_code == 200
    appeals = Situation.objects.filter(appeal=True, jurisdiction__court_of_appeal=colmar)
    assert response.context["page"].paginator.count == appeals.count() > 0
    assert "Appel en cours" in response.content.decode()


@pytest.mark.django_db
def test_reset_empties_the_situations_and_the_dataset_policies(dataset):
    assert Situation.objects.exists()
    reset()
    for model in phase.OWN_MODELS:
        assert not model._default_manager.exists(), model
    assert not Event.objects.filter(action__startswith="situation.").exists()
    assert not Policy.objects.exclude(code=VIF_CODE).exists()
    assert Policy.objects.filter(code=VIF_CODE, jurisdiction=None).exists()
    assert not Jurisdiction.objects.exists()
