"""The acronyms agents meet in Jalon, explained once (``docs/glossary.md``, REQUIREMENTS §3).

Used by the ``{{ text|acronyms }}`` template filter (``<abbr title="…">`` around each known
acronym, in headings, labels and table headers) and by the help section's glossary page.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Acronym → its expansion, in French (shown in the interface).
ACRONYMS: dict[str, str] = {
    "APPI": "Application des peines, probation et insertion (logiciel des SPIP et des SAP)",
    "BEX": "Bureau de l’exécution des peines",
    "CA": "Cour d’appel",
    "COPJ": "Convocation par officier de police judiciaire",
    "CPIP": "Conseiller pénitentiaire d’insertion et de probation",
    "CPPV": "Convocation par procès-verbal du procureur",
    "CRPC": "Comparution sur reconnaissance préalable de culpabilité",
    "DDSE": "Détention à domicile sous surveillance électronique",
    "DPIP": "Directeur pénitentiaire d’insertion et de probation",
    "JAF": "Juge aux affaires familiales",
    "JAP": "Juge de l’application des peines",
    "JE": "Juge des enfants",
    "JI": "Juge d’instruction",
    "MEC": "Mis en cause",
    "MSJ": "Mon Suivi Justice",
    "NATINF": "Nature d’infraction (numéro du référentiel national des infractions)",
    "OP": "Ordonnance de protection",
    "PPSMJ": "Personne placée sous main de justice",
    "SAP": "Service de l’application des peines",
    "SISPoPP": "Suivi des situations relevant des politiques pénales prioritaires",
    "SPIP": "Service pénitentiaire d’insertion et de probation",
    "TJ": "Tribunal judiciaire",
    "VIF": "Violences intrafamiliales",
}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    words = sorted(ACRONYMS, key=len, reverse=True)
    # A whole word only: "CA" not inside "CAS", "OP" not inside "OPJ" or "SPIP".
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, words)) + r")(?![\w-])")


def _wrap(text: str) -> str:
    return _pattern().sub(
        lambda match: format_html('<abbr title="{}">{}</abbr>', ACRONYMS[match[1]], match[1]),
        text,
    )


def explain_acronyms(text: object) -> SafeString:
    """``text`` escaped, each known acronym wrapped in ``<abbr title="expansion">``.

    Safe HTML (a template's literal, a label holding markup) is kept as it is, the acronyms
    explained in its text only, never inside a tag; text already explained is left alone.
    """
    if isinstance(text, SafeString):
        if "<abbr" in text:
            return text
        parts = _TAG.split(str(text))  # text, tag, text, tag…
        html = "".join(part if index % 2 else _wrap(part) for index, part in enumerate(parts))
    else:
        html = _wrap(str(conditional_escape(str(text))))
    return mark_safe(html)


_TAG = re.compile(r"(<[^>]*>)")
