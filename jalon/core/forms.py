"""Shared form behaviour."""

from __future__ import annotations

import calendar
import re
from datetime import date, time
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from jalon.core.dates import MONTHS


class FrenchFormMixin:
    """What every form of the project does once its fields exist (querysets and choices are
    often set in ``__init__``): required messages naming their field, and one empty label
    for select lists. ``JalonForm`` and ``JalonModelForm`` are the bases every form uses
    (``tests/core/test_every_form.py`` checks it)."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        name_required_fields(self)  # type: ignore[arg-type]


class JalonForm(FrenchFormMixin, forms.Form):
    pass


class JalonModelForm(FrenchFormMixin, forms.ModelForm):
    pass


class ActionErrorsMixin(JalonForm):
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


GENERIC_REQUIRED = str(forms.Field.default_error_messages["required"])
EMPTY_CHOICE = "— Choisir —"  # the one empty label of select lists ("---------" is Django's)
DJANGO_EMPTY = "---------"


def name_required_fields(form: forms.BaseForm) -> None:
    """ "« Nom » est obligatoire." rather than "Ce champ est obligatoire." three times: on an
    empty form, each message says which field it is about (also read out of context by
    screen readers and in the error summary)."""
    for name, field in form.fields.items():
        if str(field.error_messages.get("required", "")) == GENERIC_REQUIRED:
            label = str(field.label or name.replace("_", " ")).rstrip(" :")
            field.error_messages["required"] = (
                f"« {label[:1].upper()}{label[1:]} » est obligatoire."
            )
        if isinstance(field, forms.ModelChoiceField) and field.empty_label == DJANGO_EMPTY:
            field.empty_label = EMPTY_CHOICE
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            choices: list[Any] = list(field.choices)  # type: ignore[arg-type]
            if any(value == "" and label == DJANGO_EMPTY for value, label in choices):
                field.choices = [
                    (value, EMPTY_CHOICE if value == "" and label == DJANGO_EMPTY else label)
                    for value, label in choices
                ]


DATE_FORMATS = ["%d/%m/%Y", "%d%m%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %m %Y", "%Y-%m-%d"]


class FrenchDateField(forms.DateField):
    """A date typed as agents type it: 24/03/1987, 24031987, 24-03-1987 or 24.03.1987.

    A text input rather than the browser's date picker: one Tab stop instead of two, and
    the same JJ/MM/AAAA on every browser and language pack.
    """

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "JJ/MM/AAAA"}
    )

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()
        try:
            return super().to_python(text)
        except ValidationError:
            raise ValidationError(
                nonexistent_date_message(text) or self.error_messages["invalid"], code="invalid"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        return value


# Day, month and year in the order agents type them, with or without separators.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\- ]?(\d{1,2})[/.\- ]?(\d{4})")


def nonexistent_date_message(text: str) -> str | None:
    """ "Le 31/02/1990 n'existe pas…" when ``text`` is a well-formed date that the calendar
    does not have (rather than a format error the agent would not understand)."""
    match = _DAY_MONTH_YEAR.fullmatch(text) or (re.fullmatch(r"(\d{2})(\d{2})(\d{4})", text))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:
            return f"Le mois {month} n’existe pas : saisissez une date au format JJ/MM/AAAA."
        days = calendar.monthrange(year, month)[1]
        return (
            f"Le {day:02d}/{month:02d}/{year} n’existe pas : {MONTHS[month - 1]} {year} "
            f"n’a que {days} jours."
        )
    return None


class UpcomingDateField(FrenchDateField):
    """A date in the coming months, where the year may be left out: "6/7" is the next 6 July."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "JJ/MM"}
    )

    def to_python(self, value: Any) -> date | None:
        text = str(value or "").strip()
        match = re.fullmatch(r"(\d{1,2})[/.\- ](\d{1,2})", text)
        if match:
            today = timezone.localdate()
            try:
                day = date(today.year, int(match[2]), int(match[1]))
                if day < today:
                    day = day.replace(year=today.year + 1)
            except ValueError:
                message = nonexistent_date_message(f"{match[1]}/{match[2]}/{today.year}")
                raise ValidationError(
                    message or self.error_messages["invalid"], code="invalid"
                ) from None
            return day
        return super().to_python(text)


class FlexibleTimeField(forms.TimeField):
    """A time typed quickly: 10, 10h, 10h30, 10:30 or 1030."""

    widget = forms.TextInput(
        attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "HH:MM"}
    )

    def to_python(self, value: Any) -> time | None:
        text = str(value or "").strip().lower().replace(" ", "")
        if not text:
            return None
        match = re.fullmatch(r"(\d{1,2})(?:[h:]?(\d{2})?|h)", text) or re.fullmatch(
            r"(\d{2})(\d{2})", text
        )
        if match:
            hour, minute = int(match[1]), int(match[2] or 0)
            if hour < 24 and minute < 60:
                return time(hour, minute)
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return value
