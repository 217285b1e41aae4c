"""The help page for the screen being shown: the header's "Aide" link opens it."""

from __future__ import annotations

from django.http import HttpRequest

# URL name prefixes → help page, the longest prefix first wins.
HELP_BY_URL_NAME: dict[str, str] = {
    "person_create": "enregistrer-et-convoquer",
    "person_": "enregistrer-et-convoquer",
    "appointment_": "enregistrer-et-convoquer",
    "booking": "enregistrer-et-convoquer",
    "unknown_status": "statut-inconnu",
    "slot": "creneaux-et-sortie-d-audience",
    "pattern": "creneaux-et-sortie-d-audience",
    "agenda": "creneaux-et-sortie-d-audience",
    "hearing": "creneaux-et-sortie-d-audience",
    "service_day": "creneaux-et-sortie-d-audience",
    "transfer": "transferts",
    "situation": "situations",
    "meeting": "situations",
    "procedure": "chaine-penale",
    "judgment": "chaine-penale",
    "measure": "chaine-penale",
    "bex": "chaine-penale",
    "natinf": "chaine-penale",
    "stats": "statistiques",
    "account": "compte-et-double-authentification",
    "two_factor": "compte-et-double-authentification",
    "charter": "compte-et-double-authentification",
}
_PREFIXES = sorted(HELP_BY_URL_NAME, key=len, reverse=True)


def help_slug_for(url_name: str) -> str:
    return next((HELP_BY_URL_NAME[p] for p in _PREFIXES if url_name.startswith(p)), "")


def contextual_help(request: HttpRequest) -> dict[str, object]:
    match = getattr(request, "resolver_match", None)
    return {"HELP_SLUG": help_slug_for(match.url_name or "") if match else ""}
