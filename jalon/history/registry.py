"""French labels of history actions, and the one-line summaries of their details; each app
registers its own in ``AppConfig.ready``.

The label says what happened ("Orientation de la procédure"); the summary, built from the
event's stored details without any query, says on what ("DUPONT Jean : Composition pénale").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Summary = Callable[[Mapping[str, Any]], str]

_LABELS: dict[str, str] = {}
_SUMMARIES: dict[str, Summary] = {}


def register(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def register_summaries(summaries: dict[str, Summary]) -> None:
    _SUMMARIES.update(summaries)


def label_for(action: str) -> str:
    return _LABELS.get(action, action)


def summary_for(action: str, details: Mapping[str, Any]) -> str:
    """The French one-line summary of an event's details ("" when none is registered, or when
    the details are older than the summary and lack what it reads)."""
    summarize = _SUMMARIES.get(action)
    if summarize is None or not isinstance(details, Mapping):
        return ""
    try:
        return summarize(details)
    except (KeyError, TypeError, ValueError):
        return ""
