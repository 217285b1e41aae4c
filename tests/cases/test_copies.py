"""Facts the database copies onto orientations and judgments (``cases.copies``): the
procedure's tribunal, and the day of the party's first judgment; statistics count from them."""

from __future__ import annotations

import datetime as dt

from jalon.cases.models import Judgment, Orientation
from tests.cases.judgment_world import oriented_case


def _tribunals(model, procedure) -> set[int]:
    return set(model.objects.filter(procedure=procedure).values_list("tribunal_id", flat=True))


def test_an_orientation_and_a_judgment_get_their_procedures_tribunal(org):
    case = oriented_case(org, tribunal=org.tj_beta)  # created through the ORM, no tribunal given
    Judgment.objects.create(
        procedure=case.procedure, party=case.party, delivered_on=dt.date(2027, 3, 1)
    )

    assert _tribunals(Orientation, case.procedure) == {org.tj_beta.pk}
    assert _tribunals(Judgment, case.procedure) == {org.tj_beta.pk}


def test_a_given_tribunal_is_replaced_by_the_procedures(org):
    case = oriented_case(org, tribunal=org.tj_alpha)
    orientation = Orientation.objects.get(procedure=case.procedure)
    Orientation.objects.filter(pk=orientation.pk).update(tribunal=org.tj_beta)

    assert _tribunals(Orientation, case.procedure) == {org.tj_alpha.pk}


def test_a_procedure_moved_to_another_tribunal_moves_its_rows(org):
    case = oriented_case(org, tribunal=org.tj_alpha)
    Judgment.objects.create(
        procedure=case.procedure, party=case.party, delivered_on=dt.date(2027, 3, 1)
    )
    case.procedure.tribunal = org.tj_beta
    case.procedure.save(update_fields=["tribunal"])

    assert _tribunals(Orientation, case.procedure) == {org.tj_beta.pk}
    assert _tribunals(Judgment, case.procedure) == {org.tj_beta.pk}


def _orientation(case) -> Orientation:
    return Orientation.objects.get(procedure=case.procedure)


def _judge(case, on: dt.date, **fields) -> Judgment:
    return Judgment.objects.create(
        procedure=case.procedure, party=case.party, delivered_on=on, **fields
    )


def test_an_orientation_knows_its_partys_first_judgment_as_judgments_come_and_go(org):
    case = oriented_case(org)
    assert _orientation(case).judged_on is None
    assert _orientation(case).awaiting_until is None  # still waiting for a judgment

    later = _judge(case, dt.date(2027, 4, 2))
    first = _judge(case, dt.date(2027, 3, 1))
    _judge(case, dt.date(2027, 2, 1), replaces=first)  # an appeal decision is no first judgment
    assert _orientation(case).judged_on == dt.date(2027, 3, 1)

    first.delivered_on = dt.date(2027, 5, 1)
    first.save(update_fields=["delivered_on"])
    assert _orientation(case).judged_on == dt.date(2027, 4, 2)

    later.delete()
    assert _orientation(case).judged_on == dt.date(2027, 5, 1)


def test_an_orientation_written_after_the_judgment_is_judged_at_once(org):
    case = oriented_case(org)
    _judge(case, dt.date(2027, 3, 1))
    Orientation.objects.filter(procedure=case.procedure).update(superseded_on=dt.date(2027, 3, 5))
    again = Orientation.objects.create(
        procedure=case.procedure,
        party=case.party,
        kind=Orientation.Kind.COPJ,
        decided_on=dt.date(2027, 3, 5),
    )
    again.refresh_from_db()
    assert again.judged_on == dt.date(2027, 3, 1)


def test_awaiting_until_is_the_earlier_of_replacement_and_judgment(org):
    case = oriented_case(org)
    Orientation.objects.filter(procedure=case.procedure).update(superseded_on=dt.date(2027, 6, 1))
    assert _orientation(case).awaiting_until == dt.date(2027, 6, 1)

    _judge(case, dt.date(2027, 4, 1))
    assert _orientation(case).awaiting_until == dt.date(2027, 4, 1)
