"""The demo's referential: the 580 real rows of ``data/natinf-sample.csv`` (edition 2026-07)."""

from __future__ import annotations

import datetime
from pathlib import Path

from jalon.cases.imports import import_natinf
from jalon.cases.models import NatinfEdition

SAMPLE = Path(__file__).resolve().parent / "data" / "natinf-sample.csv"
SAMPLE_EDITION = "2026-07"
SAMPLE_IN_FORCE_FROM = datetime.date(2026, 7, 1)


def load_natinf_demo() -> None:
    """Import the sample once (a later real edition is left alone)."""
    if NatinfEdition.objects.exists():
        return
    import_natinf(
        SAMPLE.read_bytes(),
        edition=SAMPLE_EDITION,
        in_force_from=SAMPLE_IN_FORCE_FROM,
        agent=None,
        file_name=SAMPLE.name,
    )
