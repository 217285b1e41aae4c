"""Every form of the project: one empty label for select lists, never Django's "---------".

The forms are found by importing every module of ``jalon`` (so a new form is checked without
being listed here); each is rendered both by Django's widgets and by the DSFR field include
the templates use (which reads the field's choices itself).
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.contrib.auth import forms as auth_forms
from django.template.loader import render_to_string

import jalon
from jalon.core.forms import EMPTY_CHOICE, FrenchFormMixin, JalonForm

# Django's own authentication forms (login, password): no select list, Django's messages.
NOT_OURS = (auth_forms.AuthenticationForm, auth_forms.SetPasswordForm)


def project_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(jalon.__path__, "jalon."):
        if ".migrations" in module.name or module.name.endswith(("wsgi", "asgi", "dev")):
            continue
        importlib.import_module(module.name)
    found: set[type[forms.BaseForm]] = set()
    pending: list[type] = [forms.BaseForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("jalon.") and sub.__module__ != "jalon.core.forms":
                found.add(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORM_CLASSES = project_form_classes()


def test_the_project_has_forms_to_check() -> None:
    assert len(FORM_CLASSES) > 40


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__qualname__)
def test_every_form_uses_the_project_base(form_class: type[forms.BaseForm]) -> None:
    assert issubclass(form_class, (FrenchFormMixin, *NOT_OURS))


def _form_of(form_class: type[forms.BaseForm]) -> forms.BaseForm:
    """The form itself when it needs no argument, otherwise its declared fields in a plain
    project form (the fields a form adds in ``__init__`` pass through the same base)."""
    try:
        return form_class()
    except TypeError:
        fields: dict[str, Any] = dict(form_class.base_fields)
        return type("Declared", (JalonForm,), fields)()


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda cls: cls.__qualname__)
def test_no_select_list_shows_django_dashes(form_class: type[forms.BaseForm]) -> None:
    form = _form_of(form_class)

    html = str(form) + "".join(
        render_to_string("includes/field.html", {"field": bound}) for bound in form
    )

    assert "---------" not in html


@pytest.mark.django_db
def test_model_and_plain_choices_get_the_french_empty_label() -> None:
    from jalon.access.models import Service

    class Sample(JalonForm):
        service = forms.ModelChoiceField(queryset=Service.objects.none(), label="Service")
        kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], label="Nature")

    form = Sample()

    assert form.fields["service"].empty_label == EMPTY_CHOICE  # type: ignore[attr-defined]
    assert next(iter(form.fields["kind"].choices)) == ("", EMPTY_CHOICE)  # type: ignore[attr-defined]
