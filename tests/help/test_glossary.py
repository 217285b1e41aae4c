"""Acronyms explained where they appear: one glossary in code, an ``<abbr>`` around each."""

from __future__ import annotations

from django import forms
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from jalon.core.forms import JalonForm
from jalon.core.glossary import ACRONYMS, explain_acronyms

REQUIRED = (
    "MEC", "JE", "JAP", "JAF", "JI", "APPI", "DDSE", "SPIP", "DPIP", "CPIP", "BEX", "SAP",
    "CRPC", "COPJ", "NATINF", "PPSMJ", "TJ", "OP", "VIF",
)  # fmt: skip


def test_the_glossary_explains_every_acronym_of_the_screens() -> None:
    assert set(REQUIRED) <= set(ACRONYMS)
    assert all(meaning[:1].isupper() for meaning in ACRONYMS.values())


def test_acronyms_are_wrapped_in_abbr_with_their_meaning() -> None:
    html = explain_acronyms("Cabinet du JAP et du JI")

    assert html == (
        'Cabinet du <abbr title="Juge de l’application des peines">JAP</abbr> et du '
        '<abbr title="Juge d’instruction">JI</abbr>'
    )


def test_only_whole_words_are_explained() -> None:
    html = explain_acronyms("SPIP, OPJ, CAS, JAPON, Je, NATINF-2")

    assert html.count("<abbr") == 1
    assert '<abbr title="Service pénitentiaire d’insertion et de probation">SPIP</abbr>' in html


def test_text_is_escaped_and_safe_markup_left_alone() -> None:
    assert explain_acronyms("<b>SAP</b>").startswith("&lt;b&gt;<abbr")
    safe = explain_acronyms(mark_safe('<i class="SAP">SAP</i>'))
    assert safe == '<i class="SAP"><abbr title="Service de l’application des peines">SAP</abbr></i>'
    assert explain_acronyms(safe) == safe  # already explained


def test_template_filter_and_field_labels() -> None:
    rendered = Template("{% load glossary %}<th>{{ 'Numéro APPI'|acronyms }}</th>").render(
        Context()
    )
    assert '<th>Numéro <abbr title="Application des peines' in rendered

    class Sample(JalonForm):
        appi = forms.CharField(label="Numéro APPI", required=False)

    label = render_to_string("includes/field.html", {"field": Sample()["appi"]})
    assert '<abbr title="Application des peines' in label
