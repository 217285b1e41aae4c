"""``manage.py generate_dataset``: refuses a database holding data unless ``--reset``."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jalon.access.models import Jurisdiction
from jalon.appointments.models import Appointment
from jalon.dataset.generate import existing_rows
from jalon.people.models import Person
from jalon.situations.models import Situation


@pytest.mark.django_db
def test_command_refuses_a_database_that_holds_data():
    assert existing_rows() == []
    Jurisdiction.objects.create(kind="ca", name="Cour d’appel existante", code="ca-existante")
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_dataset", "--scale", "small", stdout=StringIO())
    assert not Person.objects.exists()
    assert Jurisdiction.objects.count() == 1


@pytest.mark.django_db
def test_command_with_reset_replaces_the_data_and_prints_timings():
    Jurisdiction.objects.create(kind="ca", name="Cour d’appel existante", code="ca-existante")
    out = StringIO()
    call_command(
        "generate_dataset",
        "--scale=small",
        "--persons=700",
        "--reset",
        "--anchor=2027-07-05",
        "--no-analyze",
        stdout=out,
    )
    assert not Jurisdiction.objects.filter(code="ca-existante").exists()
    assert Person.objects.count() == 700
    assert Appointment.objects.count() == 3_500
    assert Situation.objects.count() == 140  # one per 5 persons, as 200,000 for 1,000,000
    assert "situations: 140" in out.getvalue()
    assert "[time] organisation" in out.getvalue()
    assert "[time] situations" in out.getvalue()
