"""GSM-7 encoding, exact SMS part counts, transliteration and templates (issue 5, §2–3)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jalon.core.dates import french_date
from jalon.sms.text import (
    DEFAULT_TEMPLATES,
    GSM7_BASIC,
    GSM7_EXTENSION,
    LONGEST_VALUES,
    PLACEHOLDERS,
    SAMPLE_VALUES,
    Encoding,
    convocation_values,
    encoding_of,
    longest_cost,
    measure,
    placeholders_in,
    render,
    segments,
    septet_length,
    template_errors,
    transliterate,
)


def test_gsm_tables_are_exact() -> None:
    assert len(GSM7_BASIC) == 127  # 128 codes, minus the escape
    assert len(GSM7_EXTENSION) == 10
    for char in "@£$¥èéùìòÇ\n\rØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà !\"#%&'()*+,-./:;<=>?":
        assert char in GSM7_BASIC
    assert set("^{}\\[~]|€\f") == GSM7_EXTENSION
    for char in "çêâîôûœ«»’€`":
        assert char not in GSM7_BASIC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rendez-vous le mardi 2 décembre à 9h30 avec votre conseillère.", Encoding.GSM7),
        ("Où êtes-vous ?", Encoding.UCS2),  # ê before transliteration
        ("Prix : 10 € [réduit]", Encoding.GSM7),
        ("Bonjour 🙂", Encoding.UCS2),
        ("محمد", Encoding.UCS2),
        ("", Encoding.GSM7),
    ],
)
def test_encoding_of(text: str, expected: Encoding) -> None:
    assert encoding_of(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # GSM-7 letters stay as they are.
        ("Éric a été reçu à Noël ? Non : à Pâques.", "Éric a été recu à Noel ? Non : à Paques."),
        ("è é ù à ì ò ä ö ü ñ Ç É Ä Ö Ü Ñ æ Æ ß", "è é ù à ì ò ä ö ü ñ Ç É Ä Ö Ü Ñ æ Æ ß"),
        ("fenêtre, âge, île, hôtel, sûr, garçon", "fenetre, age, ile, hotel, sur, garcon"),
        ("Noël, maïs, Loÿs", "Noel, mais, Loys"),
        ("ÀÂÈÊËÎÏÔÙÛŸ", "AAEEEIIOUUY"),
        ("cœur, Œuvre", "coeur, OEuvre"),
        ("« Bonjour »", '"Bonjour"'),
        ("«\u00a0Bonjour\u202f»", '"Bonjour"'),
        ("l’adresse ‘ici’ “là”", "l'adresse 'ici' \"là\""),
        ("9h–12h — fermé…", "9h-12h - fermé..."),
        ("Rendez-vous\u00a0:\u202flundi", "Rendez-vous : lundi"),
        ("• n° 12", "- no 12"),
        ("convoqué·e", "convoqué.e"),
        ("e\u0301te\u0301", "été"),  # decomposed accents are composed first
        ("10 €", "10 €"),
        ("Ahmed محمد 🙂 王", "Ahmed محمد 🙂 王"),  # kept: never "?"
    ],
)
def test_transliterate(text: str, expected: str) -> None:
    assert transliterate(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Votre rendez-vous est fixé le vendredi à 14h à l’hôtel de police.",
        "Présentez-vous avec une pièce d’identité ; « convocation » à apporter.",
        "Cœur de ville, île de Cayenne, garçon, août, Noël, Saint-Benoît",
    ],
)
def test_french_sentences_stay_gsm(sentence: str) -> None:
    cost = measure(sentence)
    assert cost.encoding is Encoding.GSM7
    assert "?" not in cost.text


@pytest.mark.parametrize("name", ["Zhang Wěi 张伟", "محمد بن علي", "Bonjour 👋"])
def test_non_latin_text_is_kept_in_ucs2(name: str) -> None:
    cost = measure(f"Bonjour {name}, à lundi")
    assert cost.encoding is Encoding.UCS2
    assert name.split()[-1] in cost.text
    assert "?" not in cost.text


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
        ("é" * 160, 1),  # é is GSM-7: one septet
        ("a" * 158 + "€", 1),  # 160 septets
        ("a" * 159 + "€", 2),  # 161 septets
        ("€" * 80, 1),
        ("€" * 81, 2),
        # The escape and its code are never cut: a € that would straddle parts moves on.
        ("a" * 153 + "€" + "a" * 151, 2),
        ("a" * 153 + "€" + "a" * 152, 3),
        ("ê" * 70, 1),  # UCS-2 as given to segments (no transliteration)
        ("ê" * 71, 2),
        ("ê" * 134, 2),
        ("ê" * 135, 3),
        ("🙂" * 35, 1),  # 70 UTF-16 units
        ("🙂" * 36, 2),
        ("a" * 66 + "🙂" + "a" * 66, 3),  # the pair does not fit in 67: 66 | 🙂+65 | 1
        ("a" * 65 + "🙂" + "a" * 67, 2),
    ],
)
def test_segments(text: str, parts: int) -> None:
    assert segments(text) == parts


def test_escape_at_part_boundary_moves_to_next_part() -> None:
    # 152 + € = 154 septets > 153: the € opens part 2, which then holds 2 + 151 = 153.
    assert segments("a" * 152 + "€" + "a" * 151) == 2
    assert segments("a" * 152 + "€" + "a" * 152) == 3
    # Without the move, 306 septets would fit in 2 parts.
    assert septet_length("a" * 152 + "€" + "a" * 152) == 306


def test_septet_length_counts_extension_twice() -> None:
    assert septet_length("a€[]{}") == 11
    assert septet_length("") == 0


def test_measure() -> None:
    cost = measure("Rendez-vous à l’hôtel : 10 €")
    assert cost.text == "Rendez-vous à l'hotel : 10 €"
    assert (cost.encoding, cost.length, cost.parts, cost.per_part_limit) == (
        Encoding.GSM7,
        29,
        1,
        160,
    )
    long = measure("ê" * 200)  # transliterated: 200 plain e
    assert (long.encoding, long.length, long.parts, long.per_part_limit) == (
        Encoding.GSM7,
        200,
        2,
        153,
    )
    ucs = measure("王" * 71)
    assert (ucs.encoding, ucs.length, ucs.parts, ucs.per_part_limit) == (Encoding.UCS2, 71, 2, 67)
    empty = measure("")
    assert (empty.parts, empty.length, empty.per_part_limit) == (0, 0, 160)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_transliteration_never_adds_question_marks(text: str) -> None:
    out = transliterate(text)
    assert out.count("?") == text.count("?")
    assert segments(out) >= (1 if out else 0)


# --- Templates ------------------------------------------------------------------------


def test_placeholders_are_documented_in_french() -> None:
    assert list(PLACEHOLDERS) == ["type", "date", "heure", "lieu", "adresse", "contact", "lien"]
    assert set(LONGEST_VALUES) == set(PLACEHOLDERS) == set(SAMPLE_VALUES)


def test_longest_date_is_the_longest_french_date() -> None:
    day = datetime.date(2024, 1, 1)
    longest = 0
    while day.year < 2040:
        longest = max(longest, len(french_date(day)))
        day += datetime.timedelta(days=1)
    assert len(LONGEST_VALUES["date"]) == longest == 27
    assert LONGEST_VALUES["date"] == "mercredi 1er septembre 2027"


def test_unknown_placeholder_is_refused_by_name() -> None:
    errors = template_errors("Rendez-vous le {date} avec {nom} à {heure} {nom}")
    assert len(errors) == 1
    assert "{nom}" in errors[0]
    assert "{date}" in errors[0] and "{lien}" in errors[0]
    with pytest.raises(ValueError, match="nom"):
        render("Bonjour {nom}", SAMPLE_VALUES)


@pytest.mark.parametrize(
    "template",
    ["Le {date à {heure}", "Le date} à {heure}", "Le {{date} à {heure}", "{", "}", "{date}}"],
)
def test_unbalanced_braces_are_refused(template: str) -> None:
    errors = template_errors(template)
    assert errors and "Accolade" in errors[0]
    with pytest.raises(ValueError):
        render(template, SAMPLE_VALUES)


def test_doubled_braces_write_a_brace() -> None:
    assert template_errors("Code {{A}} le {date}") == []
    assert render("Code {{A}} le {date}", SAMPLE_VALUES) == "Code {A} le lundi 14 avril 2025"


def test_empty_template_is_refused() -> None:
    assert template_errors("  \n") == ["Le modèle est vide."]


def test_too_long_template_is_refused() -> None:
    filler = "x" * (459 - septet_length(LONGEST_VALUES["adresse"]))
    assert longest_cost(filler + "{adresse}").parts == 3
    assert template_errors(filler + "{adresse}") == []
    errors = template_errors(filler + "y{adresse}")
    assert len(errors) == 1 and "trop long" in errors[0] and "4 SMS" in errors[0]
    assert template_errors(filler + "{adresse}", max_parts=2)
    # A fixed suffix (the opt-out link) counts too.
    assert template_errors(filler + "{adresse}", suffix=" STOP")


def test_unicode_template_explains_the_encoding() -> None:
    errors = template_errors("🙂 {type} {lieu} {adresse}")
    assert len(errors) == 1 and "Unicode" in errors[0]


def test_render_fills_and_transliterates() -> None:
    text = render("« {type} » le {date} à {heure} : {lieu}", SAMPLE_VALUES)
    assert (
        text == '"Convocation de suivi SPIP" le lundi 14 avril 2025 à 15 h 30 : SPIP de la Guyane'
    )
    assert placeholders_in("{date} {heure} {date}") == ["date", "heure"]


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("RAPPEL : {lieu}, {adresse}. Fin", "RAPPEL : Lieu. Fin"),
        ("RAPPEL : {adresse}, {lieu}. Fin", "RAPPEL : Lieu. Fin"),
        ("A {adresse} B", "A B"),
        ("A, {adresse}, {contact}, B", "A, B"),
        ("{adresse} début\n  {adresse}  fin  ", "début\nfin"),
        ("A  B", "A B"),
    ],
)
def test_render_collapses_empty_values(template: str, expected: str) -> None:
    values = {**SAMPLE_VALUES, "lieu": "Lieu", "adresse": "  ", "contact": ""}
    assert render(template, values) == expected


def test_render_needs_every_used_value() -> None:
    with pytest.raises(KeyError):
        render("{date} {lien}", {"date": "lundi"})
    assert render("{date}", {"date": "lundi"}) == "lundi"


def test_values_are_not_read_as_placeholders() -> None:
    assert render("{lieu}", {"lieu": "Salle {date}"}) == "Salle {date}"


def test_convocation_values() -> None:
    start = datetime.datetime(2025, 4, 14, 15, 30, tzinfo=ZoneInfo("America/Cayenne"))
    values = convocation_values(
        type_label="Convocation de suivi SPIP",
        starts_at_local=start,
        place_name="SPIP de la Guyane",
        address="12 rue Lallouette,\n\n  97300 Cayenne \n",
        contact="05 94 00 00 00",
        link="https://www.justice.fr",
    )
    assert values == {
        "type": "Convocation de suivi SPIP",
        "date": "lundi 14 avril 2025",
        "heure": "15 h 30",
        "lieu": "SPIP de la Guyane",
        "adresse": "12 rue Lallouette, 97300 Cayenne",
        "contact": "05 94 00 00 00",
        "lien": "https://www.justice.fr",
    }
    text = render(DEFAULT_TEMPLATES["reminder"], values)
    assert text.startswith("Rappel : Convocation de suivi SPIP le lundi 14 avril 2025 à 15 h 30")


def test_french_month_with_circumflex_stays_gsm() -> None:
    values = {**SAMPLE_VALUES, "date": french_date(datetime.date(2025, 8, 1))}
    cost = measure(render(DEFAULT_TEMPLATES["reminder"], values))
    assert "vendredi 1er aout 2025" in cost.text
    assert cost.encoding is Encoding.GSM7


# Longest-rendering part counts of the national defaults (values at their bounds).
DEFAULT_LONGEST_PARTS = {
    "convocation": 3,
    "reminder": 3,
    "reschedule": 3,
    "cancellation": 2,
    "missed": 2,
}


@pytest.mark.parametrize("kind", sorted(DEFAULT_TEMPLATES))
def test_default_templates_are_valid(kind: str) -> None:
    template = DEFAULT_TEMPLATES[kind]
    assert template_errors(template, max_parts=3) == []
    assert transliterate(template) == template  # written in GSM-7 from the start
    longest = longest_cost(template)
    assert longest.encoding is Encoding.GSM7
    assert longest.parts == DEFAULT_LONGEST_PARTS[kind]
    # With realistic values every default fits in two parts.
    assert measure(render(template, SAMPLE_VALUES)).parts <= 2
    if kind in ("convocation", "reminder", "reschedule"):
        assert "Seul le courrier fait foi" in template


def test_default_templates_cover_every_kind() -> None:
    assert set(DEFAULT_TEMPLATES) == {
        "convocation",
        "reminder",
        "reschedule",
        "cancellation",
        "missed",
    }
