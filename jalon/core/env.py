"""Typed readers for configuration taken from environment variables.

Every setting of Jalon comes from the environment (docs/environment.md lists them).
A variable marked ``required_in_production`` stops start-up with a clear message when
it is missing in production, instead of silently falling back to a development value.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on", "oui"}
FALSE_VALUES = {"0", "false", "no", "off", "non", ""}


class Environment:
    """Reads variables from a mapping (``os.environ`` by default) for one environment kind."""

    def __init__(self, environ: dict[str, str] | None = None) -> None:
        self.environ = os.environ if environ is None else environ
        self.kind = self.environ.get("JALON_ENV", "development").strip().lower()
        if self.kind not in {"development", "test", "production"}:
            raise ImproperlyConfigured(
                f"JALON_ENV must be development, test or production, not {self.kind!r}."
            )
        self.missing: list[str] = []

    @property
    def is_production(self) -> bool:
        return self.kind == "production"

    def _raw(self, name: str, default: str | None, required_in_production: bool) -> str | None:
        value = self.environ.get(name)
        if value is None or value == "":
            if required_in_production and self.is_production:
                self.missing.append(name)
            return default
        return value

    def get_str(self, name: str, default: str = "", *, required_in_production: bool = False) -> str:
        value = self._raw(name, default, required_in_production)
        return value if value is not None else default

    def get_optional_str(self, name: str) -> str | None:
        value = self.environ.get(name)
        return value if value else None

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.environ.get(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")

    def get_int(self, name: str, default: int) -> int:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return default
        try:
            return int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}.") from None

    def get_list(
        self, name: str, default: list[str] | None = None, *, required_in_production: bool = False
    ) -> list[str]:
        value = self._raw(name, None, required_in_production)
        if value is None:
            return list(default or [])
        return [item.strip() for item in value.split(",") if item.strip()]

    def prefixed(self, prefix: str) -> dict[str, str]:
        """Every variable whose name starts with ``prefix`` (the settings of one provider
        account, read by its adapter, which names the missing ones)."""
        return {name: value for name, value in self.environ.items() if name.startswith(prefix)}

    def check(self) -> None:
        """Stop start-up if production lacks required variables."""
        if self.missing:
            names = ", ".join(sorted(set(self.missing)))
            raise ImproperlyConfigured(
                f"Missing required environment variable(s) for production: {names}. "
                "See docs/environment.md."
            )
