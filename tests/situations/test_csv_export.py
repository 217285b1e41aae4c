"""The situations export (the only CSV export today) neutralises what agents typed."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from tests.factories import ListEntryFactory, SituationFactory


def test_names_typed_in_the_ui_are_exported_as_text_not_formulas(
    world, people, client_for, frozen_now
):
    cabinet = ListEntryFactory(
        jurisdiction=world.org.tj_alpha, kind="cabinet_je", name='=HYPERLINK("http://x";"Cab")'
    )
    SituationFactory(
        jurisdiction=world.org.tj_alpha,
        mec__last_name="@SOMME(1+1)",
        mec__first_names="+Jean",
        cabinet_je=cabinet,
    )
    response = client_for(people["parquet_alpha"]).get(reverse("situation_list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode().lstrip("\ufeff")
    _header, row = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert row[7] == '\'=HYPERLINK("http://x";"Cab")'  # the cabinet JE column
    assert row[4].startswith("'@SOMME(1+1) ")  # the MEC column
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
