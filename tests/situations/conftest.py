"""The SISPoPP world (a CA with its TJs, policies, lists) and its agents, for every test here."""

from __future__ import annotations

from typing import Any

import pytest

from tests.situations.world import World, agents, build_world


@pytest.fixture
def world(org: Any) -> World:
    return build_world(org)


@pytest.fixture
def people(world: World, make_agent: Any) -> dict[str, Any]:
    return agents(world, make_agent)
