"""axe-core in the page: the vendored engine (tests/e2e/vendor), WCAG 2.1 A and AA rules.

Injected by Playwright's ``evaluate`` (a DevTools call, outside the page's Content-Security-
Policy, which allows no inline script): nothing is fetched, the file is read from disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

AXE_FILE = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    count: v.nodes.length,
  }));
}"""


@cache
def axe_source() -> str:
    return AXE_FILE.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Violation:
    page: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]
    count: int

    @property
    def blocking(self) -> bool:
        return self.impact in BLOCKING

    def __str__(self) -> str:
        return (
            f"{self.page}: {self.rule} ({self.impact}, {self.count}×) {self.help} — "
            + ", ".join(self.targets)
        )


def check(page: Any, name: str) -> list[Violation]:
    """The WCAG 2.1 A/AA violations of what ``page`` shows now, named ``name``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    found = page.evaluate(RUN, WCAG_21_AA)
    return [
        Violation(
            page=name,
            rule=item["rule"],
            impact=item["impact"] or "",
            help=item["help"],
            targets=tuple(item["targets"]),
            count=item["count"],
        )
        for item in found
    ]
