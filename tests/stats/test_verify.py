"""stats_verify: the indicators against an independent recount from the raw rows."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from jalon.people import retention
from jalon.people.models import Person
from jalon.stats.models import AppointmentCount as StatsCount
from jalon.stats.queries import AppointmentTally, Area, Period
from jalon.stats.verify import compare, verify
from tests.stats.test_indicators import AREAS, PERIODS

pytestmark = pytest.mark.usefixtures("activity")


@pytest.mark.parametrize("area_name", list(AREAS))
@pytest.mark.parametrize(("start", "end"), PERIODS)
@pytest.mark.parametrize("grain", ["day", "week", "month"])
def test_no_gap_on_seeded_activity(frozen_now, org, guyane, area_name, start, end, grain):
    area, _ = AREAS[area_name](org, guyane)
    assert verify(area, Period(start, end, grain), now=frozen_now) == []


def test_no_gap_after_retention_deleted_persons(frozen_now, org, guyane, activity):
    old = [b for b in activity if b.day < dt.date(2027, 1, 1)]
    doomed = [b.person_id for b in old[::2]]
    Person.objects.filter(pk__in=doomed).update(archived_at=frozen_now - dt.timedelta(days=200))
    assert retention.delete_expired_archives(now=frozen_now).persons == len(doomed)
    assert StatsCount.objects.exists()
    for start, end in PERIODS:
        assert verify(Area("national"), Period(start, end, "week"), now=frozen_now) == []


def test_a_gap_is_reported_with_its_key_and_field():
    key = (dt.date(2026, 10, 25), 7)
    gaps = compare(
        "convocations",
        {key: AppointmentTally(honoured=3, missed=1)},
        {key: {"honoured": 3, "missed": 2}},
    )
    assert [(g.field, g.counted, g.recounted) for g in gaps] == [("missed", 1, 2)]
    assert "25/10/2026 7 missed" in str(gaps[0])
    missing = compare("convocations", {}, {key: {"excused": 1}})
    assert [(g.field, g.counted, g.recounted) for g in missing] == [("excused", 0, 1)]


def test_the_command_reports_zero_gap(frozen_now):
    out = io.StringIO()
    call_command(
        "stats_verify", "--from", "2026-10-01", "--to", "2026-11-30", "--grain", "week", stdout=out
    )
    assert "0 écart(s)" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "planete"], "Zone inconnue"),
        (["--area", "service"], "identifiant"),
        (["--from", "2026-02-31"], "n’est pas une date"),
        (["--from", "2026-11-30", "--to", "2026-10-01"], "inversée"),
    ],
)
def test_bad_arguments_get_a_french_message(frozen_now, args, message):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match=message):
        call_command("stats_verify", *args, stdout=io.StringIO())
