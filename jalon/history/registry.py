"""French labels of history actions; each app registers its own in ``AppConfig.ready``."""

from __future__ import annotations

_LABELS: dict[str, str] = {}


def register(labels: dict[str, str]) -> None:
    _LABELS.update(labels)


def label_for(action: str) -> str:
    return _LABELS.get(action, action)
