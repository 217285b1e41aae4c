"""Retention of SISPoPP situations (docs/decisions/0003-situation-retention.md): a situation
closed for 6 years is deleted with its parts; its MEC is then deleted by the person rules."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.management import call_command

from jalon.history.actions import record
from jalon.history.models import Event
from jalon.people import retention
from jalon.people.models import Person
from jalon.situations import actions, documents
from jalon.situations.models import (
    Document,
    Measure,
    Notification,
    Procedure,
    Review,
    Situation,
    SituationEvent,
    SituationFollow,
    Victim,
)
from jalon.stats.models import AppointmentCount
from tests.factories import AppointmentFactory, PersonFactory, SituationFactory, VictimFactory
from tests.situations.world import agents, build_world

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SIX_YEARS = relativedelta(years=6)
DAY = dt.timedelta(days=1)


@pytest.fixture
def parquet(org, make_agent, settings, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return agents(build_world(org), make_agent)["parquet_alpha"]


def full_situation(parquet: Any, org: Any, closed_on: dt.date | None, **kwargs: Any) -> Situation:
    """A situation with one of every part, closed on ``closed_on`` (open when None)."""
    situation = SituationFactory(jurisdiction=org.tj_alpha, **kwargs)
    VictimFactory(situation=situation)
    Procedure.objects.create(situation=situation, nature="penal", reference="21/001")
    Measure.objects.create(situation=situation, label="Interdiction de contact")
    Review.objects.create(
        situation=situation,
        held_on=dt.date(2021, 1, 4),
        participants="Parquet, SPIP",
        next_review_on=dt.date(2021, 4, 4),
        created_by=parquet,
    )
    actions.set_following(agent=parquet, situation=situation, following=True)
    actions.add_event(
        agent=parquet, situation=situation, occurred_on=dt.date(2021, 1, 5), text="Audience"
    )
    documents.add_document(
        agent=parquet, situation=situation, title="PV", name="pv.pdf", content=PDF
    )
    record("situation.viewed", actor=parquet, target=situation, details={"tab": "mec"})
    Situation.objects.filter(pk=situation.pk).update(closed_on=closed_on)
    situation.refresh_from_db()
    return situation


def test_a_situation_closed_for_6_years_is_deleted_with_its_parts(
    frozen_now, org, parquet, django_capture_on_commit_callbacks
):
    today = frozen_now.date()
    old = full_situation(parquet, org, closed_on=today - SIX_YEARS)
    recent = full_situation(parquet, org, closed_on=today - SIX_YEARS + DAY)
    stored = Document.objects.get(situation=old).stored_name
    assert documents.storage().exists(stored)

    with django_capture_on_commit_callbacks(execute=True):  # files go once it commits
        done = retention.delete_expired_situations()

    assert (done.situations, done.documents) == (1, 1)
    assert list(Situation.objects.values_list("pk", flat=True)) == [recent.pk]
    for model in (Victim, Procedure, Measure, Review, SituationEvent, SituationFollow, Document):
        assert model.objects.filter(situation_id=old.pk).count() == 0, model
        assert model.objects.filter(situation_id=recent.pk).count() == 1, model
    assert not Notification.objects.filter(situation_id=old.pk).exists()
    assert not documents.storage().exists(stored)
    # History keeps the skeleton of what agents did, not which situation.
    assert not Event.objects.filter(target_id=str(old.pk), action__startswith="situation.")
    erased = Event.objects.filter(action="situation.viewed", target_id="")
    assert erased.count() == 1 and erased.get().actor == parquet
    summary = Event.objects.get(action="situations.deleted")
    assert summary.details == {
        "situations": 1,
        "documents": 1,
        "events_erased": done.events_erased,
        "by_policy": {"vif": 1},
        "by_closing_year": {str((today - SIX_YEARS).year): 1},
        "automatic": True,
    }
    assert retention.delete_expired_situations().situations == 0  # idempotent


def test_open_and_reopened_situations_are_never_deleted(frozen_now, org, parquet):
    open_one = full_situation(parquet, org, closed_on=None)
    reopened = full_situation(parquet, org, closed_on=frozen_now.date() - SIX_YEARS)
    actions.reopen_situation(
        agent=parquet, situation=reopened, reason="Nouveaux faits", today=frozen_now.date()
    )
    assert retention.delete_expired_situations().situations == 0
    assert Situation.objects.filter(pk__in=[open_one.pk, reopened.pk]).count() == 2


def test_the_mec_goes_the_same_night_once_their_last_situation_is_deleted(
    frozen_now, org, parquet, agendas
):
    mec = PersonFactory(
        followed_by=[org.spip_alpha],
        created_at=frozen_now - relativedelta(years=8),
        archived_at=frozen_now - relativedelta(years=5),
    )
    AppointmentFactory(
        person=mec,
        agenda=agendas.spip_alpha,
        starts_at=frozen_now - relativedelta(years=7),
        created_at=frozen_now - relativedelta(years=7),
    )
    full_situation(parquet, org, closed_on=frozen_now.date() - SIX_YEARS, mec=mec)
    out = StringIO()
    call_command("retention", stdout=out)
    assert not Person.objects.filter(pk=mec.pk).exists()
    assert not Situation.objects.exists()
    assert AppointmentCount.objects.get().count == 1  # the convocation, counted anonymously
    assert "Deleted 1 situation(s) closed for 6 years" in out.getvalue()
    assert "Deleted 1 person(s)" in out.getvalue()


@pytest.mark.parametrize("closed", ["open", "recently closed"])
def test_the_mec_of_an_open_or_recently_closed_situation_is_kept(frozen_now, org, parquet, closed):
    mec = PersonFactory(
        created_at=frozen_now - relativedelta(years=8),
        archived_at=frozen_now - relativedelta(years=5),
    )
    closed_on = None if closed == "open" else frozen_now.date() - relativedelta(years=5)
    full_situation(parquet, org, closed_on=closed_on, mec=mec)
    call_command("retention", stdout=StringIO())
    assert Person.objects.filter(pk=mec.pk).exists()
    assert Situation.objects.filter(mec=mec).exists()


def test_the_dry_run_lists_the_situations_and_changes_nothing(frozen_now, org, parquet):
    old = full_situation(parquet, org, closed_on=frozen_now.date() - SIX_YEARS)
    out = StringIO()
    with time_machine.travel(frozen_now.timestamp(), tick=False):
        call_command("retention", "--dry-run", stdout=out)
    assert f"Would delete 1 situation(s) closed on or before {frozen_now.date() - SIX_YEARS}" in (
        out.getvalue()
    )
    assert f"  {old.pk} vif tj-alpha" in out.getvalue()
    assert Situation.objects.filter(pk=old.pk).exists()
