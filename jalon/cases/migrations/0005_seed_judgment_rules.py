"""Seed the legal rules of hearings, judgments and their execution (issue 14, points 7 to 9).

Frozen values, as the law stood (see ``docs/judgments.md`` for the texts relied on and what
could not be confirmed). A change of the law is a new row with its ``valid_from`` and the old
row's ``valid_until``, through the admin or a later migration: the recodified code de
procédure pénale (1 January 2029) will need rows for the new article numbers.
"""

from django.db import migrations

SERVICES_BY_SENTENCE = {
    "probation": ["spip"],
    "tig": ["sap", "spip"],
    "ddse": ["sap", "spip"],
    "adjustment": ["sap", "spip"],
    "prison": ["sap", "spip"],
}
IMPRISONMENT_KINDS = ["prison", "suspended", "probation", "ddse", "adjustment"]

# (key, value, valid_from, valid_until, source, label)
RULES = [
    (
        "delay.appeal.days",
        10,
        "1959-03-02",
        None,
        "art. 498 et 499 CPP",
        "Délai d’appel d’un jugement correctionnel ou de police (jours)",
    ),
    (
        # Five "jours francs" after the day of the decision: neither that day nor the last
        # counts, so the delay ends with the sixth day after it (then art. 801 applies).
        "delay.cassation.days",
        6,
        "1959-03-02",
        None,
        "art. 568 CPP (cinq jours francs)",
        "Délai de pourvoi en cassation contre un arrêt d’appel (jours, franc compris)",
    ),
    (
        "delay.appeal_general_prosecutor.days",
        20,
        "2009-11-26",
        None,
        "art. 505 CPP (loi n° 2009-1436 du 24 novembre 2009)",
        "Délai d’appel du procureur général contre un jugement de condamnation (jours)",
    ),
    (
        "delay.spip_after_judgment.days",
        45,
        "2020-03-24",
        None,
        "art. 474 CPP (loi n° 2019-222 du 23 mars 2019)",
        "Délai maximal de la convocation devant le SPIP remise à l’issue de l’audience (jours)",
    ),
    (
        "delay.jap_after_judgment.days",
        30,
        "2020-03-24",
        None,
        "art. 474 CPP (loi n° 2019-222 du 23 mars 2019)",
        "Délai maximal de la convocation devant le JAP remise à l’issue de l’audience (jours)",
    ),
    (
        "execution.art474.max_prison_months",
        12,
        "2020-03-24",
        None,
        "art. 474 CPP (loi n° 2019-222 du 23 mars 2019)",
        "Emprisonnement ferme au plus (mois) pour la convocation à l’issue de l’audience",
    ),
    (
        "execution.services",
        SERVICES_BY_SENTENCE,
        "2020-03-24",
        None,
        "art. 474, 723-15, 739 CPP ; art. 131-22 et 132-44 CP",
        "Services qui suivent la personne selon la peine (SAP, SPIP)",
    ),
    (
        "execution.jap_convocation.kinds",
        ["prison", "ddse", "adjustment"],
        "2020-03-24",
        None,
        "art. 474 al. 1 CPP",
        "Peines pour lesquelles une convocation devant le JAP est remise à l’audience",
    ),
    (
        "execution.spip_convocation.kinds",
        ["prison", "ddse", "adjustment", "probation", "tig"],
        "2020-03-24",
        None,
        "art. 474 al. 1 et 3 CPP",
        "Peines pour lesquelles une convocation devant le SPIP est remise à l’audience",
    ),
    (
        "sentence.forbidden.contravention",
        IMPRISONMENT_KINDS,
        "1994-03-01",
        None,
        "art. 131-12 CP",
        "Peines exclues quand toutes les infractions sont des contraventions",
    ),
    (
        "sentence.doubtful.contravention",
        ["tig"],
        "1994-03-01",
        None,
        "art. 131-12 à 131-18 CP (le TIG n’y figure que pour certaines contraventions)",
        "Peines à vérifier quand toutes les infractions sont des contraventions",
    ),
    (
        "sentence.tig.min_age_at_decision",
        16,
        "1984-01-01",
        "2021-09-29",
        "ordonnance n° 45-174 du 2 février 1945, art. 20-5",
        "Âge minimal au jugement pour un travail d’intérêt général",
    ),
    (
        "sentence.tig.min_age_at_decision",
        16,
        "2021-09-30",
        None,
        "code de la justice pénale des mineurs, art. L. 122-1",
        "Âge minimal au jugement pour un travail d’intérêt général",
    ),
    (
        "sentence.tig.min_age_at_facts",
        13,
        "2021-09-30",
        None,
        "code de la justice pénale des mineurs, art. L. 122-1",
        "Âge minimal au moment des faits pour un travail d’intérêt général",
    ),
    (
        "court.name.appeal",
        "Chambre des appels correctionnels",
        "1959-03-02",
        None,
        "art. 496 et 510 CPP",
        "Nom de la formation d’appel en matière correctionnelle",
    ),
    (
        "article.appeal_delay",
        "art. 498 du code de procédure pénale",
        "1959-03-02",
        "2028-12-31",
        "art. 498 CPP",
        "Article du délai d’appel (cité à l’écran)",
    ),
    (
        "article.convocation_after_judgment",
        "art. 474 du code de procédure pénale",
        "2020-03-24",
        "2028-12-31",
        "art. 474 CPP",
        "Article de la convocation remise à l’issue de l’audience (cité à l’écran)",
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
    dependencies = [("cases", "0004_execution")]

    operations = [migrations.RunPython(seed, unseed)]
