"""The SMS package sits below the apps that use it (docs/architecture.md): it never imports
them, and what it shares with them is declared once."""

from __future__ import annotations

import ast
from pathlib import Path

import jalon.sms
from jalon.appointments.models import AppointmentType
from jalon.sms.models import ReminderDelay, ReminderHours

ABOVE = ("jalon.appointments", "jalon.situations", "jalon.stats", "jalon.api", "jalon.portal")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_sms_package_imports_no_app_above_it():
    package = Path(jalon.sms.__file__).parent
    upward = {
        f"{path.relative_to(package)}: {name}"
        for path in package.rglob("*.py")
        if "migrations" not in path.parts
        for name in imported_modules(path)
        if name.startswith(ABOVE)
    }
    assert upward == set()


def test_the_reminder_delays_are_declared_once():
    assert AppointmentType.ReminderDelay is ReminderHours
    delay = ReminderDelay._meta.get_field("delay_hours")
    default = AppointmentType._meta.get_field("reminder_delay_hours")
    assert delay.choices == default.choices == ReminderHours.choices
