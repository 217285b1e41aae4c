"""Mobile phone numbers read in the service's region and stored in E.164.

A number typed ``0694 20 12 34`` in a Guyane service is +594 694 20 12 34; the same digits
typed in a mainland service would be an invalid French number. The region therefore
comes from the service that types the number, never from a global default.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

_MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
# A landline: a fixed line, or a box number (09 in France is VoIP for libphonenumber).
_LANDLINE_TYPES = frozenset(
    {PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE, PhoneNumberType.VOIP}
)

# An example mobile number per region, to tell the agent which form is expected.
_EXAMPLES = {
    "FR": "06 12 34 56 78",
    "GF": "0694 20 12 34",
    "RE": "0692 12 34 56",
    "YT": "0639 01 23 45",
    "GP": "0690 12 34 56",
    "MQ": "0696 12 34 56",
}

# An example landline per region.
_LANDLINE_EXAMPLES = {
    "FR": "03 88 12 34 56",
    "GF": "0594 30 12 34",
    "RE": "0262 12 34 56",
    "YT": "0269 61 23 45",
    "GP": "0590 12 34 56",
    "MQ": "0596 61 23 45",
}


class PhoneError(ValueError):
    """A number that cannot receive SMS; the message is French and names the expected form."""


def expected_form(region: str) -> str:
    example = _EXAMPLES.get(region)
    if example:
        country_code = phonenumbers.country_code_for_region(region)
        return (
            f"un numéro de portable comme {example} ou au format international (+{country_code}…)"
        )
    return "un numéro de portable au format international, par exemple +33 6 12 34 56 78"


def parse_mobile(raw: str, region: str) -> str:
    """The E.164 form of a mobile number typed in ``region``, or ``PhoneError``."""
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise PhoneError(f"Numéro illisible : saisissez {expected_form(region)}.") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"Ce numéro n’existe pas : saisissez {expected_form(region)}.")
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise PhoneError(
            f"Ce numéro n’est pas un portable et ne peut pas recevoir de SMS : "
            f"saisissez {expected_form(region)}."
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def expected_landline_form(region: str) -> str:
    example = _LANDLINE_EXAMPLES.get(region)
    if example:
        country_code = phonenumbers.country_code_for_region(region)
        return f"un numéro de fixe comme {example} ou au format international (+{country_code}…)"
    return "un numéro de fixe au format international, par exemple +33 3 88 12 34 56"


def parse_landline(raw: str, region: str) -> str:
    """The E.164 form of a landline typed in ``region``, or ``PhoneError``.

    A mobile number is refused with its own message: it belongs in the mobile field, where
    it receives the reminders.
    """
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        raise PhoneError(
            f"Numéro illisible : saisissez {expected_landline_form(region)}."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"Ce numéro n’existe pas : saisissez {expected_landline_form(region)}.")
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        raise PhoneError(
            "Ce numéro est un portable, pas un fixe : saisissez-le dans « Téléphone "
            "portable », où il recevra les rappels par SMS."
        )
    if kind not in _LANDLINE_TYPES:
        raise PhoneError(
            f"Ce numéro n’est pas celui d’un téléphone fixe : saisissez "
            f"{expected_landline_form(region)}."
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def is_landline(raw: str, region: str) -> bool:
    """Whether ``raw`` reads as a valid landline in ``region``."""
    try:
        parse_landline(raw, region)
    except PhoneError:
        return False
    return True


def display(e164: str) -> str:
    """National form for numbers of France and its overseas regions, international otherwise."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if number.country_code in (33, 262, 269, 508, 590, 594, 596, 687, 689):
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def search_prefix(raw: str, region: str) -> str | None:
    """The E.164 prefix a partial or complete number typed in any form stands for.

    ``06 12`` and ``612`` in a mainland service give ``+33612``; ``+33612…`` is kept;
    ``0694`` in Guyane gives ``+594694``. None when the text holds no digits.
    """
    text = raw.strip()
    digits = re.sub(r"\D", "", text)
    if not digits:
        return None
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00"):
        return "+" + digits[2:]
    country_code = phonenumbers.country_code_for_region(region) or 33
    return f"+{country_code}{digits.removeprefix('0')}"


def looks_like_phone(text: str) -> bool:
    """Search input made of digits, spaces, dots, dashes and an optional leading +."""
    return bool(re.fullmatch(r"\+?[\d\s.\-()]{3,}", text.strip()))
