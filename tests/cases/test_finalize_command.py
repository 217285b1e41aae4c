"""``manage.py finalize_judgments``: the nightly finality job by hand, with ``--dry-run``.

The clock is frozen on Monday 5 July 2027 (``frozen_now``): a contradictoire judgment of that
day may be appealed until Thursday 15 July and is final on the 16th.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jalon.cases.actions import judgments as actions
from jalon.cases.models import Appeal, ChargeDecision, Execution, Judgment
from tests.cases.judgment_world import oriented_case

pytestmark = pytest.mark.usefixtures("frozen_now")
TODAY = dt.date(2027, 7, 5)


def judge(org, make_agent):
    case = oriented_case(org)
    return actions.record_judgment(
        agent=make_agent("greff_co", service=case.registry),
        procedure=case.procedure,
        party=case.party,
        delivered_on=TODAY,
        delivery_mode="contradictoire",
        verdicts={c.pk: ChargeDecision.Verdict.GUILTY for c in case.charges},
        sentences=[actions.SentenceInput("fine", amount_euros=200)],
    )


def run(*args):
    out = StringIO()
    call_command("finalize_judgments", *args, stdout=out)
    return out.getvalue()


def test_dry_run_lists_what_would_become_final_and_changes_nothing(org, make_agent):
    due = judge(org, make_agent)
    appealed = judge(org, make_agent)
    actions.record_appeal(
        agent=appealed.recorded_by, judgment=appealed, by=Appeal.By.DEFENDANT, lodged_on=TODAY
    )
    assert "0 jugement(s)" in run("--dry-run", "--date", "2027-07-15")
    output = run("--dry-run", "--date", "2027-07-16")
    assert "[simulation] 1 jugement(s)" in output
    assert due.procedure.parquet_number_display in output
    assert "définitif le 16/07/2027" in output
    assert appealed.procedure.parquet_number_display not in output
    assert not Judgment.objects.filter(final_on__isnull=False).exists()
    assert not Execution.objects.in_bex_queue().exists()


def test_the_command_makes_due_judgments_final_once(org, make_agent):
    due = judge(org, make_agent)
    assert "1 jugement(s) devenu(s) définitif(s) au 16/07/2027" in run("--date", "2027-07-16")
    due.refresh_from_db()
    assert due.final_on == dt.date(2027, 7, 16)
    assert Execution.objects.in_bex_queue().get().judgment == due
    assert "0 jugement(s)" in run("--date", "2027-07-17")
    assert "0 jugement(s)" in run("--dry-run", "--date", "2027-07-17")


def test_a_bad_date_is_refused_in_french():
    with pytest.raises(CommandError, match="invalide : écrivez-la AAAA-MM-JJ"):
        run("--date", "16/07/2027")
