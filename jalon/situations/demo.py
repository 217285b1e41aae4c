"""Demo situations for ``load_demo``: what the parquet of Strasbourg follows, one appeal.

Idempotent: nothing is added when the demo parquet already has situations.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from jalon.access.models import Agent
from jalon.people.actions import Identity
from jalon.situations import actions, meetings
from jalon.situations.models import ListEntry, Measure, Policy, Procedure, Situation, Victim

# (MEC last name, first names, birth date, Procédure JAF, victim, OP, appeal, review in days)
DEMO_SITUATIONS = [
    # Overdue, and seen by the JAF too ("Procédure JAF"): both home pages show it.
    ("KELLER", "Marc", date(1979, 3, 14), True, ("KELLER", "Sophie"), True, False, -5),
    ("ZIMMER", "Yannick", date(1988, 11, 2), False, ("ZIMMER", "Laura"), False, False, 12),
    ("HOFFMANN", "Cédric", date(1984, 6, 21), False, ("MEYER", "Julie"), True, True, 40),
    ("BRUNNER", "Alexis", date(1991, 1, 9), False, ("BRUNNER", "Nadia"), False, False, 75),
]


@transaction.atomic
def load_situation_demo() -> int:
    """Situations of the TJ of Strasbourg (one under appeal at Colmar); how many were made."""
    procureur = Agent.objects.filter(email="procureur@jalon.test").first()
    parquet = Agent.objects.filter(email="parquet@jalon.test").first()
    if procureur is None or parquet is None:
        return 0
    jurisdiction = procureur.service.jurisdiction
    if Situation.objects.filter(jurisdiction=jurisdiction).exists():
        return 0
    today = timezone.localdate()
    policy = Policy.objects.get(code="vif", jurisdiction=None)
    cabinet = actions.add_list_entry(
        agent=procureur, kind=ListEntry.Kind.CABINET_JAP, name="Cabinet JAP 1"
    )
    instance = actions.add_list_entry(
        agent=parquet, kind=ListEntry.Kind.INSTANCE, name="Comité de pilotage VIF"
    )
    created = []
    for last, first, born, jaf, victim, order, appeal, review_in in DEMO_SITUATIONS:
        situation = actions.create_situation(
            agent=parquet,
            data=actions.SituationData(
                policy=policy,
                mec_procedure_jaf=jaf,
                appeal=appeal,
                summary="Violences conjugales signalées par la victime ; suivi renforcé.",
                cabinet_jap=cabinet,
                instances=[instance],
                next_review_on=today + timedelta(days=max(review_in, 1)),
            ),
            identity=Identity(last_name=last, first_names=first, birth_date=born),
            confirm_probable=True,
            today=today,
        )
        if review_in < 0:  # overdue, to show the highlighting
            Situation.objects.filter(pk=situation.pk).update(
                next_review_on=today + timedelta(days=review_in)
            )
        parts = [
            (
                Victim(
                    last_name=victim[0],
                    first_names=victim[1],
                    protection_order=order,
                    protective_measures="Téléphone grave danger" if order else "",
                ),
                "situation.victim_added",
            ),
            (
                Procedure(
                    nature=Procedure.Nature.PENAL,
                    reference=f"{today.year % 100}{situation.pk:03d}000123",
                    court="Tribunal correctionnel de Strasbourg",
                    stage="Contrôle judiciaire",
                ),
                "situation.procedure_added",
            ),
            (
                Measure(
                    label="Interdiction de contact avec la victime",
                    starts_on=today - timedelta(days=30),
                ),
                "situation.measure_added",
            ),
        ]
        for part, action in parts:
            actions.add_part(agent=parquet, situation=situation, part=part, action=action)
        if jaf or order:
            actions.save_jaf_section(
                agent=parquet, situation=situation, values={"notes": "Audience JAF à fixer."}
            )
        actions.add_event(
            agent=parquet,
            situation=situation,
            occurred_on=today - timedelta(days=3),
            text="Point avec le SPIP : obligations respectées à ce jour.",
        )
        created.append(situation)
    # The next meeting of the instance, with the overdue situation on its agenda.
    meeting = meetings.plan_meeting(
        agent=parquet, instance=instance, held_on=today + timedelta(days=10)
    )
    meetings.add_to_agenda(agent=parquet, meeting=meeting, situation=created[0])
    return len(DEMO_SITUATIONS)
