"""The shape of French justice: 36 cours d'appel and their tribunaux judiciaires.

Overseas courts carry their time zone and public-holiday subdivision (``jalon/core/dates.py``);
Alsace and Moselle keep their local holidays. ``weight`` is a rough size of the court's
caseload, used to share the persons between courts.
"""

from __future__ import annotations

from dataclasses import dataclass

MAINLAND = ("Europe/Paris", "")
ALSACE = ("Europe/Paris", "6AE")
MOSELLE = ("Europe/Paris", "57")

# Court of appeal → its TJs (city names); the first element of a TJ entry may carry "*"
# (large court, weight 4) or "+" (medium court, weight 2).
COURTS: list[tuple[str, tuple[str, str], list[str]]] = [
    ("Agen", MAINLAND, ["Agen", "Auch", "Cahors"]),
    ("Aix-en-Provence", MAINLAND, ["+Aix-en-Provence", "Digne-les-Bains", "+Draguignan", "+Grasse", "*Marseille", "*Nice", "+Tarascon", "+Toulon"]),
    ("Amiens", MAINLAND, ["Abbeville", "+Amiens", "+Beauvais", "Compiègne", "Laon", "Saint-Quentin", "Senlis", "Soissons"]),
    ("Angers", MAINLAND, ["+Angers", "Laval", "+Le Mans", "Saumur"]),
    ("Bastia", MAINLAND, ["Ajaccio", "Bastia"]),
    ("Besançon", MAINLAND, ["Belfort", "+Besançon", "Lons-le-Saunier", "Montbéliard", "Vesoul"]),
    ("Bordeaux", MAINLAND, ["Angoulême", "Bergerac", "*Bordeaux", "Libourne", "Périgueux"]),
    ("Bourges", MAINLAND, ["Bourges", "Châteauroux", "Nevers"]),
    ("Caen", MAINLAND, ["Alençon", "Argentan", "+Caen", "Cherbourg-en-Cotentin", "Coutances", "Lisieux"]),
    ("Chambéry", MAINLAND, ["Albertville", "Annecy", "Bonneville", "Chambéry", "Thonon-les-Bains"]),
    ("Colmar", ALSACE, ["Colmar", "+Mulhouse", "Saverne", "*Strasbourg"]),
    ("Dijon", MAINLAND, ["Chalon-sur-Saône", "Chaumont", "+Dijon", "Mâcon"]),
    ("Douai", MAINLAND, ["Arras", "Avesnes-sur-Helpe", "+Béthune", "Boulogne-sur-Mer", "Cambrai", "Douai", "Dunkerque", "*Lille", "Saint-Omer", "+Valenciennes"]),
    ("Grenoble", MAINLAND, ["Bourgoin-Jallieu", "Gap", "+Grenoble", "Valence"]),
    ("Limoges", MAINLAND, ["Brive-la-Gaillarde", "Guéret", "Limoges", "Tulle"]),
    ("Lyon", MAINLAND, ["Bourg-en-Bresse", "*Lyon", "Roanne", "+Saint-Étienne", "Villefranche-sur-Saône"]),
    ("Metz", MOSELLE, ["+Metz", "Sarreguemines", "Thionville"]),
    ("Montpellier", MAINLAND, ["Béziers", "Carcassonne", "Millau", "+Montpellier", "Narbonne", "+Perpignan", "Rodez"]),
    ("Nancy", MAINLAND, ["Bar-le-Duc", "Val-de-Briey", "Épinal", "+Nancy", "Verdun"]),
    ("Nîmes", MAINLAND, ["Alès", "+Avignon", "Carpentras", "Mende", "+Nîmes", "Privas"]),
    ("Orléans", MAINLAND, ["Blois", "Montargis", "+Orléans", "+Tours"]),
    ("Paris", MAINLAND, ["Auxerre", "*Bobigny", "*Créteil", "+Évry-Courcouronnes", "Fontainebleau", "+Meaux", "+Melun", "*Paris", "Sens"]),
    ("Pau", MAINLAND, ["+Bayonne", "Dax", "Mont-de-Marsan", "Pau", "Tarbes"]),
    ("Poitiers", MAINLAND, ["La Roche-sur-Yon", "La Rochelle", "Les Sables-d’Olonne", "Niort", "+Poitiers", "Saintes"]),
    ("Reims", MAINLAND, ["Charleville-Mézières", "Châlons-en-Champagne", "+Reims", "Troyes"]),
    ("Rennes", MAINLAND, ["Brest", "Lorient", "*Nantes", "Quimper", "+Rennes", "Saint-Brieuc", "Saint-Malo", "Saint-Nazaire", "Vannes"]),
    ("Riom", MAINLAND, ["Aurillac", "+Clermont-Ferrand", "Cusset", "Le Puy-en-Velay", "Montluçon", "Moulins"]),
    ("Rouen", MAINLAND, ["Dieppe", "+Évreux", "+Le Havre", "+Rouen"]),
    ("Toulouse", MAINLAND, ["Albi", "Castres", "Foix", "Montauban", "Saint-Gaudens", "*Toulouse"]),
    ("Versailles", MAINLAND, ["+Chartres", "*Nanterre", "*Pontoise", "*Versailles"]),
    ("Basse-Terre", ("America/Guadeloupe", "971"), ["Basse-Terre", "+Pointe-à-Pitre"]),
    ("Fort-de-France", ("America/Martinique", "972"), ["+Fort-de-France"]),
    ("Cayenne", ("America/Cayenne", "973"), ["+Cayenne"]),
    ("Saint-Denis de La Réunion", ("Indian/Reunion", "974"), ["+Saint-Denis", "+Saint-Pierre", "+Mamoudzou"]),
    ("Nouméa", ("Pacific/Noumea", "NC"), ["Nouméa"]),
    ("Papeete", ("Pacific/Tahiti", "PF"), ["Papeete"]),
]  # fmt: skip

# Mamoudzou sits in the ressort of Saint-Denis but keeps Mayotte's time and holidays.
LOCAL_OVERRIDES = {"Mamoudzou": ("Indian/Mayotte", "976")}

# Mobile prefixes (E.164 country code + national mobile prefix, digits left) per subdivision.
MOBILE_PREFIXES: dict[str, list[tuple[str, int]]] = {
    "": [("+3361", 7), ("+3362", 7), ("+3366", 7), ("+3368", 7), ("+3375", 7), ("+3378", 7)],
    "6AE": [("+3361", 7), ("+3362", 7), ("+3366", 7), ("+3368", 7), ("+3375", 7), ("+3378", 7)],
    "57": [("+3361", 7), ("+3362", 7), ("+3366", 7), ("+3368", 7), ("+3375", 7), ("+3378", 7)],
    "971": [("+590690", 6)],
    "972": [("+596696", 6), ("+596697", 6)],
    "973": [("+5946940", 5), ("+5946941", 5), ("+5946942", 5), ("+5946949", 5)],
    "974": [("+262692", 6)],
    "976": [("+2626392", 5), ("+2626396", 5), ("+2626397", 5)],
    "NC": [("+6875", 5), ("+6877", 5), ("+6879", 5)],
    "PF": [("+68987", 6), ("+68989", 6)],
}


@dataclass(frozen=True)
class Court:
    city: str
    court_of_appeal: str
    time_zone: str
    subdivision: str
    weight: int


def _slug(value: str) -> str:
    from django.utils.text import slugify

    return slugify(value.replace("’", "-"))


def courts(scale: str) -> list[Court]:
    """The TJs of the scale: all of them, or two CAs (Colmar, Cayenne) with 5 TJs for "small"."""
    selected = (
        COURTS if scale == "national" else [c for c in COURTS if c[0] in ("Colmar", "Cayenne")]
    )
    found = []
    for ca, (zone, subdivision), cities in selected:
        for entry in cities:
            weight = 4 if entry[0] == "*" else 2 if entry[0] == "+" else 1
            city = entry.lstrip("*+")
            zone_here, subdivision_here = LOCAL_OVERRIDES.get(city, (zone, subdivision))
            found.append(Court(city, ca, zone_here, subdivision_here, weight))
    return found


def court_of_appeal_names(scale: str) -> list[str]:
    return [ca for ca, _, _ in COURTS if scale == "national" or ca in ("Colmar", "Cayenne")]


def slug(value: str) -> str:
    return _slug(value)
