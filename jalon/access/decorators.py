"""View markers read by the access middleware."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V", bound=Callable[..., object])


def gate_exempt(view: V) -> V:
    """Reachable before the charter is accepted and the second factor is verified
    (the pages that let the agent get through those gates, and logout)."""
    view.gate_exempt = True  # type: ignore[attr-defined]
    return view


def keeps_session_idle(view: V) -> V:
    """A request to this view does not count as activity (the session status probe)."""
    view.keeps_session_idle = True  # type: ignore[attr-defined]
    return view
