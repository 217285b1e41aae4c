"""Fixtures of the import tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def world(org, agendas, cpip):
    return {"agent": cpip, "agenda": agendas.spip_alpha, "service": org.spip_alpha}
