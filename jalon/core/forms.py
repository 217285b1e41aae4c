"""Shared form behaviour."""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError


class ActionErrorsMixin(forms.Form):
    """Shows an action's ``ValidationError`` next to the fields it names.

    ``field_aliases`` maps a model field an action names to the form field that typed it
    (``starts_at`` is typed as ``day`` and ``time``). Anything else goes on top of the form.
    """

    field_aliases: ClassVar[dict[str, str]] = {}

    def add_action_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                target = self.field_aliases.get(field, field)
                self.add_error(target if target in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
