from __future__ import annotations

import pytest

from tests.factories import PersonFactory


@pytest.fixture
def person(org):
    """A person followed by SPIP Alpha."""
    return PersonFactory(followed_by=[org.spip_alpha])
