"""Accessibility, measured: axe-core (WCAG 2.1 A and AA) on every page, no serious or
critical violation (docs/accessibility.md lists the remaining ones).

The pages are those of ``tests/e2e/a11y_pages.py``, built from the URL conf; the data is the
demo's, loaded at a fixed moment. One browser context per role, pages visited in turn.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import time_machine

from jalon.access.demo import load_demo, load_demo_parts
from tests.e2e import a11y_pages
from tests.e2e.axe import Violation, check
from tests.test_urls import ALL_URLS

# Monday 5 July 2027, 10:00 in Paris: the demo's dates are computed from it.
MOMENT = datetime.datetime(2027, 7, 5, 8, 0, tzinfo=datetime.UTC)
REPORT = Path("test-artifacts") / "axe-report.md"


def test_every_route_is_visited_or_explicitly_excluded():
    names = {name for name, _, _ in ALL_URLS if name}
    visited = {visit.name for page_set in a11y_pages.PAGE_SETS for visit in page_set.visits}
    excluded = set(a11y_pages.EXCLUDED)

    def in_excluded_namespace(name: str) -> bool:
        return name.startswith(tuple(a11y_pages.EXCLUDED_NAMESPACES))

    forgotten = {name for name in names - visited - excluded if not in_excluded_namespace(name)}
    assert not forgotten, (
        "routes neither checked for accessibility nor excluded with a reason "
        f"(tests/e2e/a11y_pages.py): {sorted(forgotten)}"
    )
    assert not (visited | excluded) - names, "stale names in tests/e2e/a11y_pages.py"
    assert not visited & excluded, "a route both visited and excluded"
    assert all(reason.strip() for reason in a11y_pages.EXCLUDED.values())


def _report(
    violations: list[Violation], pages: list[str], timings: list[tuple[float, str]]
) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    slowest = ", ".join(f"{label} {seconds:.1f} s" for seconds, label in sorted(timings)[-3:])
    lines = [
        f"# axe-core: {len(pages)} pages, {len(violations)} violations",
        "",
        f"axe took {sum(seconds for seconds, _ in timings):.0f} s in all; slowest: {slowest}.",
        "",
    ]
    lines += [f"- {violation}" for violation in violations]
    lines += ["", "## Pages", ""] + [f"- {page}" for page in pages]
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_or_critical_violation(browser: Any, live_server: Any) -> None:
    with time_machine.travel(MOMENT, tick=True):
        load_demo()
        load_demo_parts()
        world = a11y_pages.World()
        a11y_pages.complete_demo(world)
        violations: list[Violation] = []
        problems: list[str] = []
        pages: list[str] = []
        timings: list[tuple[float, str]] = []
        for page_set in a11y_pages.PAGE_SETS:
            by_role: dict[str, list[tuple[str, str, int, Any]]] = defaultdict(list)
            for visit in page_set.visits:
                label = f"{page_set.name} {visit.name}" + (
                    f" ({visit.label})" if visit.label else ""
                )
                by_role[visit.role].append((label, visit.url(world), visit.status, visit.then))
            for label, (url, status) in page_set.extra_urls.items():
                by_role[""].append((f"{page_set.name} {label}", url, status, None))
            for role, visits in by_role.items():
                options = {"viewport": page_set.viewport} if page_set.viewport else {}
                context = browser.new_context(base_url=live_server.url, locale="fr-FR", **options)
                page = context.new_page()
                page.set_default_timeout(15_000)
                try:
                    page_set.open_session(page, role)
                    for label, url, expected, then in visits:
                        response = page.goto(url)
                        page.wait_for_load_state("load")
                        status = response.status if response else 0
                        # A redirect would check another page than the one named.
                        if status != expected or not page.url.endswith(url):
                            problems.append(
                                f"{label} as {role or 'anonymous'}: {status} {page.url}"
                            )
                            continue
                        if then is not None:
                            then(page)
                            if not page.locator(".fr-error-text, .fr-alert--error").count():
                                problems.append(f"{label}: no error shown after submitting")
                                continue
                        pages.append(f"{label} [{role or 'anonyme'}]")
                        started = time.monotonic()
                        violations += check(page, label)
                        timings.append((time.monotonic() - started, label))
                finally:
                    context.close()
    _report(violations, pages, timings)
    assert not problems, "pages not reached:\n" + "\n".join(problems)
    blocking = [str(v) for v in violations if v.blocking]
    assert not blocking, f"{len(blocking)} serious or critical violations:\n" + "\n".join(blocking)
