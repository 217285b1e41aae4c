"""A PostgreSQL backend that starts the embedded server on first connection."""

from __future__ import annotations

from typing import Any

from django.db.backends.postgresql import base

from jalon.core.dburl import parse_database_url
from jalon.embedded_db import database_url


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        if not self.settings_dict.get("HOST"):
            self.settings_dict["HOST"] = parse_database_url(database_url())["HOST"]
        return super().get_connection_params()
