from __future__ import annotations

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def person(org):
    """A person followed by SPIP Alpha."""
    return PersonFactory(followed_by=[org.spip_alpha])


@pytest.fixture
def admin_spip(make_agent, org):
    """The local administrator of SPIP Alpha (its places, agendas and slots)."""
    return make_agent("local_admin", service=org.spip_alpha)


@pytest.fixture
def bex(make_agent, org):
    """An agent of BEX Alpha, who books sortie d'audience slots."""
    return make_agent("bex", service=org.bex_alpha)
