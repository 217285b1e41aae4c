import pytest

from jalon.core.text import (
    format_first_names,
    format_last_name,
    given_name_keys,
    name_key,
    normalize_words,
    phonetic_key,
    strip_accents,
    within_one_edit,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jean-pierre", "Jean-Pierre"),
        ("MARIE claire", "Marie Claire"),
        ("anne-sophie  d'arc", "Anne-Sophie D'Arc"),
        ("anne-sophie d’arc", "Anne-Sophie D’Arc"),
        ("  élodie   MARIE ", "Élodie Marie"),
        ("ÉMILE", "Émile"),
        ("jean - luc", "Jean - Luc"),
    ],
)
def test_first_names_are_capitalised_word_by_word(raw, expected):
    assert format_first_names(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lévêque", "LÉVÊQUE"),
        ("de la fontaine", "DE LA FONTAINE"),
        ("  le   goff ", "LE GOFF"),
        ("n'diaye", "N'DIAYE"),
        ("Müller-Çelik", "MÜLLER-ÇELIK"),
    ],
)
def test_last_names_are_upper_cased_with_accents_kept(raw, expected):
    assert format_last_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lévêque", "Leveque"),
        ("Œuvré", "OEuvre"),
        ("Lætitia", "Laetitia"),
        ("Çağla", "Cagla"),
        ("plain", "plain"),
    ],
)
def test_strip_accents_removes_diacritics_and_splits_ligatures(raw, expected):
    assert strip_accents(raw) == expected


def test_normalize_words_splits_on_hyphens_apostrophes_and_spaces():
    assert normalize_words("Jean-Pierre  d'Alembert") == ["jean", "pierre", "d", "alembert"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Lévêque", "LEVEQUE"),
        ("Jean-Pierre", "jean pierre"),
        ("Jean-Pierre", "JeanPierre"),
        ("d'Arc", "DARC"),
        ("d’Arc", "d'arc"),
        ("Cœur", "COEUR"),
        ("Lætitia", "laetitia"),
        ("  de  la Fontaine ", "DELAFONTAINE"),
        ("Jean–Pierre", "Jean-Pierre"),  # en dash typed instead of a hyphen
    ],
)
def test_name_key_ignores_accents_case_separators_and_ligatures(first, second):
    assert name_key(first) == name_key(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Martin", "Martine"),
        ("Jean Pierre", "Jean Paul"),
    ],
)
def test_name_key_still_tells_different_names_apart(first, second):
    assert name_key(first) != name_key(second)


def test_name_key_is_lower_case_ascii_without_separators():
    assert name_key("Anne-Sophie d’Œillet") == "annesophiedoeillet"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("martin", "martin", True),  # identical
        ("martin", "martyn", True),  # one substitution
        ("martin", "marttin", True),  # one insertion
        ("martin", "matin", True),  # one deletion
        ("martin", "martinn", True),  # insertion at the end
        ("martin", "xmartin", True),  # insertion at the start
        ("martin", "mratin", True),  # adjacent transposition
        ("martin", "martni", True),  # adjacent transposition at the end
        ("", "a", True),
        ("martin", "mbrtyn", False),  # two substitutions
        ("martin", "nartim", False),  # non-adjacent swap
        ("martin", "mart", False),  # length differs by two
        ("martin", "martinez", False),
        ("martin", "amrtni", False),  # two adjacent transpositions
        ("ab", "cd", False),  # two adjacent substitutions are not a swap
        ("martin", "mtain", False),  # deletion plus swap
    ],
)
def test_within_one_edit_accepts_a_single_typo_only(first, second, expected):
    assert within_one_edit(first, second) is expected
    assert within_one_edit(second, first) is expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Philippe", "Filipe"),
        ("Gauthier", "Gautier"),
        ("Cédric", "Sedric"),
        ("Renault", "Renaud"),
        ("Renaud", "Reno"),
        ("Mathieu", "Matthieu"),
        ("Caroline", "Karoline"),
        ("Lefèvre", "Lefebvre"),
        ("Leroux", "Lerou"),
        ("Thomas", "Tomas"),
        ("Dupont", "Dupond"),
        ("Schmitt", "Chmit"),
        ("Ghislain", "Guislain"),
        ("Georges", "Jorge"),
        ("Jean", "Jan"),
        ("Lemaire", "Lemère"),
        ("MARTIN", "martinn"),
        ("Le Gall", "LEGALL"),
    ],
)
def test_spellings_that_sound_alike_share_the_phonetic_key(a, b):
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Martin", "Marten"),
        ("Bernard", "Martin"),
        ("Jean", "Jeanne"),
        ("Guy", "Hugues"),
        ("Durand", "Dupont"),
        ("Gilles", "Guilles"),  # a hard g is not a soft one
    ],
)
def test_names_that_sound_different_keep_different_phonetic_keys(a, b):
    assert phonetic_key(a) != phonetic_key(b)


def test_the_phonetic_key_of_nothing_is_empty():
    assert phonetic_key("") == phonetic_key("--'") == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jean-Pierre Louis", ["jeanpierre", "louis"]),
        ("  Marie,  Anne ", ["marie", "anne"]),
        ("Élodie", ["elodie"]),
        ("", []),
    ],
)
def test_given_names_are_split_on_spaces_not_hyphens(raw, expected):
    assert given_name_keys(raw) == expected
