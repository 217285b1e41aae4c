"""Files for the import tests, written here (not by the code under test)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

HEADER = [
    "Nom",
    "Prénoms",
    "Date de naissance",
    "Numéro APPI",
    "Téléphone portable",
    "Type de convocation",
    "Date de la convocation",
    "Heure",
    "Lieu",
    "Agenda",
    "Numéro de parquet",
]
TYPE = "Convocation de suivi SPIP"


def csv_bytes(
    rows: list[list[str]], *, header: list[str] = HEADER, sep: str = ";", encoding: str = "utf-8"
) -> bytes:
    lines = [sep.join(header), *(sep.join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def person_row(last: str, first: str, born: str, appi: str = "", phone: str = "") -> list[str]:
    return [last, first, born, appi, phone, "", "", "", "", "", ""]


def convocation_row(
    last: str,
    first: str,
    born: str,
    *,
    place: str,
    starts_at: datetime.datetime,
    time_zone: str = "Europe/Paris",
    phone: str = "",
    appi: str = "",
) -> list[str]:
    local = starts_at.astimezone(ZoneInfo(time_zone))
    return [
        last,
        first,
        born,
        appi,
        phone,
        TYPE,
        local.strftime("%d/%m/%Y"),
        local.strftime("%H:%M"),
        place,
        "",
        "",
    ]
