"""Seed the legal rules the registration and orientation steps read (issue 14, points 5, 9).

The values are frozen here, as the law stood; a change of the law is a new row with its
``valid_from`` (and the old row's ``valid_until``), through the admin or a later migration.
"""

from django.db import migrations

CRIME_ORIENTATIONS = ["dismissal", "investigation"]
DELIT_ORIENTATIONS = [
    "dismissal",
    "alternative",
    "composition",
    "crpc",
    "penal_order",
    "copj",
    "cppv",
    "immediate",
    "investigation",
    "direct_summons",
]
CONTRAVENTION_ORIENTATIONS = [
    "dismissal",
    "alternative",
    "composition",
    "penal_order",
    "police_summons",
]
ALTERNATIVES_BEFORE_2023 = [
    "rappel_a_la_loi",
    "course",
    "reparation",
    "mediation",
    "regularisation",
    "removal",
    "care",
]
ALTERNATIVES_FROM_2023 = ["probationary_warning", *ALTERNATIVES_BEFORE_2023[1:]]
COURT_BY_ORIENTATION = {
    "crpc": "correctional",
    "penal_order": "correctional",
    "copj": "correctional",
    "cppv": "correctional",
    "immediate": "correctional",
    "direct_summons": "correctional",
    "police_summons": "police",
    "investigation": "investigation",
}
COURT_BY_ORIENTATION_MINOR = {
    "copj": "juvenile",
    "cppv": "juvenile",
    "direct_summons": "juvenile",
    "investigation": "investigation",
    "police_summons": "police",
}

# (key, value, valid_from, valid_until, source, label)
RULES = [
    (
        "limitation.years.contravention",
        1,
        "1959-03-02",
        None,
        "art. 9 CPP",
        "Prescription de l’action publique des contraventions (années)",
    ),
    (
        "limitation.years.delit",
        3,
        "1959-03-02",
        "2017-02-28",
        "art. 8 CPP (avant la loi n° 2017-242 du 27 février 2017)",
        "Prescription de l’action publique des délits (années)",
    ),
    (
        "limitation.years.delit",
        6,
        "2017-03-01",
        None,
        "art. 8 CPP (loi n° 2017-242 du 27 février 2017)",
        "Prescription de l’action publique des délits (années)",
    ),
    (
        "limitation.years.crime",
        10,
        "1959-03-02",
        "2017-02-28",
        "art. 7 CPP (avant la loi n° 2017-242 du 27 février 2017)",
        "Prescription de l’action publique des crimes (années)",
    ),
    (
        "limitation.years.crime",
        20,
        "2017-03-01",
        None,
        "art. 7 CPP (loi n° 2017-242 du 27 février 2017)",
        "Prescription de l’action publique des crimes (années)",
    ),
    (
        "orientation.allowed.crime",
        CRIME_ORIENTATIONS,
        "1959-03-02",
        None,
        "art. 40-1 et 79 CPP (instruction obligatoire en matière criminelle)",
        "Orientations possibles quand la procédure comporte un crime",
    ),
    (
        "orientation.allowed.delit",
        DELIT_ORIENTATIONS,
        "1959-03-02",
        None,
        "art. 40-1, 41-1, 41-2, 388, 393, 495, 495-7 CPP",
        "Orientations possibles quand l’infraction la plus grave est un délit",
    ),
    (
        "orientation.allowed.contravention",
        CONTRAVENTION_ORIENTATIONS,
        "1959-03-02",
        None,
        "art. 40-1, 41-1, 41-3, 524, 531 CPP",
        "Orientations possibles quand la procédure ne comporte que des contraventions",
    ),
    (
        "orientation.forbidden.minor",
        ["crpc", "penal_order", "immediate"],
        "1945-02-02",
        "2021-09-29",
        "ordonnance n° 45-174 du 2 février 1945 relative à l’enfance délinquante",
        "Orientations exclues pour une personne mineure au moment des faits",
    ),
    (
        "orientation.forbidden.minor",
        ["crpc", "penal_order", "immediate"],
        "2021-09-30",
        None,
        "code de la justice pénale des mineurs (art. L. 423-4 et suivants)",
        "Orientations exclues pour une personne mineure au moment des faits",
    ),
    (
        "orientation.alternative.kinds",
        ALTERNATIVES_BEFORE_2023,
        "1999-06-23",
        "2022-12-31",
        "art. 41-1 CPP (rappel à la loi)",
        "Mesures alternatives aux poursuites",
    ),
    (
        "orientation.alternative.kinds",
        ALTERNATIVES_FROM_2023,
        "2023-01-01",
        None,
        "art. 41-1 CPP (loi n° 2021-1729 du 22 décembre 2021 : avertissement pénal probatoire)",
        "Mesures alternatives aux poursuites",
    ),
    (
        "orientation.court",
        COURT_BY_ORIENTATION,
        "1959-03-02",
        None,
        "art. 381, 521 et 49 CPP",
        "Juridiction saisie selon l’orientation",
    ),
    (
        "orientation.court.minor",
        COURT_BY_ORIENTATION_MINOR,
        "2021-09-30",
        None,
        "code de la justice pénale des mineurs (art. L. 231-1)",
        "Juridiction saisie selon l’orientation, pour une personne mineure au moment des faits",
    ),
    (
        "court.name.correctional",
        "Tribunal correctionnel",
        "1959-03-02",
        None,
        "art. 381 CPP",
        "Nom de la juridiction correctionnelle",
    ),
    (
        "court.name.police",
        "Tribunal de police",
        "1959-03-02",
        None,
        "art. 521 CPP",
        "Nom de la juridiction de police",
    ),
    (
        "court.name.juvenile",
        "Tribunal pour enfants",
        "1945-02-02",
        None,
        "code de la justice pénale des mineurs (art. L. 231-3)",
        "Nom de la juridiction pour mineurs",
    ),
    (
        "court.name.investigation",
        "Juge d’instruction",
        "1959-03-02",
        None,
        "art. 49 CPP",
        "Juridiction d’instruction",
    ),
]


def seed(apps, schema_editor):
    LegalRule = apps.get_model("cases", "LegalRule")
    for key, value, valid_from, valid_until, source, label in RULES:
        LegalRule.objects.update_or_create(
            key=key,
            valid_from=valid_from,
            defaults={"value": value, "valid_until": valid_until, "source": source, "label": label},
        )


def unseed(apps, schema_editor):
    LegalRule = apps.get_model("cases", "LegalRule")
    for key, _value, valid_from, *_rest in RULES:
        LegalRule.objects.filter(key=key, valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_penal_chain")]

    operations = [migrations.RunPython(seed, unseed)]
