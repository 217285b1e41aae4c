"""docs/statistics.md gives each definition exactly as users read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from jalon.stats.indicators import INDICATORS, SMS_REFUSAL

DOC = (Path(__file__).resolve().parents[2] / "docs" / "statistics.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("indicator", [*INDICATORS.values(), SMS_REFUSAL], ids=lambda i: i.code)
def test_the_documentation_quotes_the_definition_shown(indicator):
    assert f"### {indicator.name} (`{indicator.code}`)" in DOC
    assert f"> {indicator.definition}\n" in DOC
