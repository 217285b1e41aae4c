"""The national list of convocation types (MSJ-43), seeded by a migration and kept in sync."""

from __future__ import annotations

from typing import Any

from jalon.access.roles import Capability, ServiceKind

_SPIP = [ServiceKind.SPIP, ServiceKind.SPIP_ANTENNA]
_SAP = [ServiceKind.SAP]
_BEX = [ServiceKind.BEX, ServiceKind.CORRECTIONAL_REGISTRY]
_ID = "Une pièce d’identité et la convocation papier."

# code, label, service kinds, booked from, capability, slots, weekends, reminder h, minutes, bring
SEED_TYPES: list[tuple[Any, ...]] = [
    ("spip_first", "1er rendez-vous SPIP", _SPIP, [], "", False, False, 48, 60,
     _ID + " Le jugement, un justificatif de domicile et de ressources."),
    ("spip_follow_up", "Convocation de suivi SPIP", _SPIP, [], "", False, False, 48, 45, _ID),
    ("jap_follow_up", "Convocation de suivi JAP", _SAP, [], "", False, False, 48, 30, _ID),
    ("jap_sentence_adjustment", "Convocation d’aménagement de peine JAP", _SAP, [], "", False,
     False, 48, 30, _ID + " Les justificatifs de travail, de formation, de domicile et de ressources."),
    ("sortie_audience_sap", "Sortie d’audience SAP", _SAP, _BEX, "", True, False, 48, 30, _ID),
    ("sortie_audience_spip", "Sortie d’audience SPIP", _SPIP, _BEX, "", True, False, 48, 45, _ID),
    ("sap_ddse", "SAP DDSE (pose de bracelet électronique)", _SPIP, _SAP,
     Capability.BOOK_TAG_FITTING, True, True, 24, 60,
     _ID + " L’ordonnance du JAP. Soyez présent au domicile déclaré."),
    ("tig_tnr", "Placement TIG / TNR", _SPIP, [], "", False, False, 48, 45, _ID),
    ("phone_call", "Rendez-vous téléphonique", [*_SPIP, *_SAP], [], "", False, False, 24, 20,
     "Restez joignable au numéro enregistré à l’heure indiquée."),
    ("home_visit", "Visite à domicile", _SPIP, [], "", False, False, 24, 60,
     "Soyez présent au domicile déclaré à l’heure indiquée."),
]  # fmt: skip


def sync_seed_types(type_model: Any) -> None:
    """Create or update the seeded types (idempotent; used by a migration)."""
    for position, row in enumerate(SEED_TYPES):
        code, label, kinds, booked_from, capability, slots, weekends, reminder, minutes, bring = row
        type_model.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "service_kinds": [str(kind) for kind in kinds],
                "booked_from_kinds": [str(kind) for kind in booked_from],
                "required_capability": str(capability),
                "uses_slots": slots,
                "allows_weekends": weekends,
                "reminder_delay_hours": reminder,
                "default_duration_minutes": minutes,
                "what_to_bring": bring,
                "position": position,
            },
        )
