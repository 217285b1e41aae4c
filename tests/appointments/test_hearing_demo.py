"""The demo shows the sortie d'audience flow: slots at the SAP and SPIP, communes, one IR BEX."""

from __future__ import annotations

from jalon.access.demo import load_demo
from jalon.access.models import Service
from jalon.appointments.demo import load_convocation_demo
from jalon.appointments.models import Slot
from jalon.territory.models import Commune


def test_the_demo_has_hearing_slots_and_communes_and_is_idempotent(db):
    load_demo()
    load_convocation_demo()
    slots = Slot.objects.filter(appointment_type__code__startswith="sortie_audience").count()
    communes = Commune.objects.count()
    load_convocation_demo()

    assert slots > 0
    assert (
        Slot.objects.filter(appointment_type__code__startswith="sortie_audience").count() == slots
    )
    assert communes == Commune.objects.count() == 4
    assert Slot.objects.filter(
        agenda__place__service__name="SPIP du Bas-Rhin",
        appointment_type__code="sortie_audience_spip",
    ).exists()
    assert Service.objects.get(name="BEX du TJ de Saverne").inter_ressort
