"""Who reads and handles the problems agents report.

Any active agent reports a problem from any page (the report is theirs: nothing to guard).
National administrators read every report and mark it handled: support is national.
"""

from __future__ import annotations

from jalon.access.models import Agent
from jalon.access.rules import is_national_admin


def can_handle_problem_reports(agent: Agent) -> bool:
    """National administrators: they see every report and mark it handled."""
    return is_national_admin(agent)
