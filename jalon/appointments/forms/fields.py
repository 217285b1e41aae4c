"""Form fields shared by the convocation forms."""

from __future__ import annotations

from typing import Any

from django import forms

from jalon.core.parquet import FORMAT_HINT, parse_parquet_number


class ParquetNumberField(forms.CharField):
    """An optional numéro de parquet, cleaned to its canonical 11 digits.

    A malformed value gets the parser's French message next to the field, and the form shows
    back what was typed (Django keeps the raw value of an invalid bound field).
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "Numéro de parquet")
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", f"{FORMAT_HINT[0].upper()}{FORMAT_HINT[1:]}.")
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return parse_parquet_number(text)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid_parquet_number") from error
