"""French names as they appear in registers: accents, hyphens, particles, compound first names.

Lists are ordered by rough frequency; ``pick`` draws with a Zipf-like weight so that MARTIN
and Jean are common. France has over a million family names and the 300 most common
cover only about a tenth of the population: most family names here are therefore built
from French roots and endings (Bourdier, Le Gallou, Rochet-Marnier …), so that namesakes
born the same day stay as rare as in the real population (duplicate-detection precision
would otherwise measure the list, not the algorithm).
"""

from __future__ import annotations

import random
from bisect import bisect_left
from itertools import accumulate

LAST_NAMES = """
Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel
Lefebvre Leroy Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine
Rousseau Vincent Muller Lefèvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier
François Legrand Gauthier Garcia Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu
Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier
Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard
Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre Aubert
Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet
Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier Sanchez
Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet
Adam Paris Poirier Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard
Baron Bertin Bailly Hervé Schneider Fernandez Le Gall Collet Léger Bouvier Julien
Prévost Millet Perrot Daniel Le Roux Cousin Germain Breton Besson Langlois Rémy
Le Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon
Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier
Collin Chauvin Da Silva Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud Antoine
Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte
Gomes Dos Santos Ferreira Pereira Rodrigues Benali Haddad Mansouri Belkacem Boukhris Cherif
Saïdi Benhamou Amrani Bouzid Rahmani Khelifi Traoré Diallo Coulibaly Diop Camara Konaté
Ndiaye Sow Keïta Cissé N'Diaye M'Bappé de La Fontaine d'Arcy de Saint-Exupéry
Le Bihan Le Floc'h Kerjean Quéré Nédélec Le Guével Saint-Martin Dupont-Aignan Lévy-Bruhl
Bonnet-Madin Laval-Dufresne Boyer-Chammard Martin-Lagardette Ah-Kiem Ah-Fong Hoareau Técher Fontaine-Payet Grondin-Hoarau Élisabeth Jean-Baptiste
Théophile Alexandre Bellemare Zéphir Joseph Marie-Sainte Saint-Louis Célestine Ébène Jérôme Désiré Zimmermann
Hoffmann Koenig Wagner Fischer Keller Braun Becker Schwartz Kieffer Oberlé Wéber Nguyen
Tran Lê Pham Hoang Vo Dang Bui Huynh Phan Vũ Truong Dao
Ngo Ly Œuvray Cœur Lætitia-Brun Ménétrier Pétré Chrétien Gaëtan Noëlle Hénaff Aït-Ali
Aït-Ouarab
""".split()  # noqa: SIM905 - a word list reads better so

# A few particle names split badly by ``split``: rebuild them.
_PARTICLES = {"de", "La", "Le", "Da", "Dos"}


def _join_particles(words: list[str]) -> list[str]:
    names: list[str] = []
    buffer: list[str] = []
    for word in words:
        buffer.append(word)
        if word in _PARTICLES:
            continue
        names.append(" ".join(buffer))
        buffer = []
    return names


LAST_NAMES = _join_particles(LAST_NAMES)

MALE_FIRST_NAMES = """
Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel Thomas Julien Frédéric
David Stéphane Laurent Sébastien Éric Olivier Pascal Thierry Mohamed Kevin Maxime Alexandre
Antoine Anthony Romain Jérôme Hugo Lucas Théo Nathan Enzo Mathis Louis Gabriel
Raphaël Léo Arthur Jules Yanis Rayan Adam Karim Mehdi Samir Rachid Youssef
Bilal Ibrahima Moussa Mamadou Sékou Loïc Gaël Joël Noël Hervé René André
François Benoît Jérémy Grégory Cédric Mickaël Ludovic Aurélien Rémi Jean-Pierre Jean-Claude Jean-Marc
Jean-Luc Jean-François Jean-Baptiste Jean-Michel Pierre-Yves Marc-Antoine Paul-Henri Jean-Philippe Anh Minh Duc Tiago
João Luís
""".split()  # noqa: SIM905 - a word list reads better so

FEMALE_FIRST_NAMES = """
Marie Nathalie Isabelle Sylvie Catherine Sandrine Valérie Christine Céline Stéphanie Véronique Julie
Aurélie Émilie Camille Léa Manon Chloé Inès Sarah Laura Lucie Océane Pauline
Anaïs Marine Élodie Mélanie Audrey Fatima Samira Nadia Yasmine Aïcha Fatoumata Aminata
Mariam Hélène Françoise Brigitte Danièle Agnès Bénédicte Gaëlle Maëlle Noémie Zoé Chloé
Clémence Héloïse Cécile Solène Marie-Claire Marie-Christine Anne-Sophie Marie-Hélène Marie-Laure Anne-Marie Marie-Pierre Marie-Thérèse
Lætitia Thi Linh Ana Beatriz
""".split()  # noqa: SIM905 - a word list reads better so

# Second given names, registered after the first with a space ("Jean Louis").
MALE_SECOND_NAMES = """
Louis Marie Pierre Joseph Michel André Jacques Paul Claude Henri
""".split()  # noqa: SIM905 - a word list reads better so
FEMALE_SECOND_NAMES = ["Marie", "Anne", "Claude", "Lucie", "Louise", "Françoise", "Élise", "Jeanne"]

# Roots and endings of built family names: 160 × 48 ≈ 7,700 names, and double names.
ROOTS = """
Bou Mar Ber Gar Lan Ro Char Mon Pel Bel Fon Gau Mal Vi
Ba Bro Cha Cor Da Del Fa Fer Gi Gra Ha Jou La Le
Lo Ma Me Mi Mo Na No Pa Pi Po Ra Re Ri Sa
Se So Ta Te To Va Ve Vo Bes Bon Bour Brun Cal Cam
Car Cas Chal Cham Chau Clo Cou Cre Du Fou Gal Gil Gor Gou
Gui Jar Lam Lar Lau Lec Lom Mas Mau Mer Mil Mor Mou Noi
Pail Par Pas Per Pey Pla Pou Pra Que Ray Ren Rey Rib Roch
Rou Sal San Sau Ser Tal Tar Tis Tou Tra Vai Val Vau Ver
Vil Bar Bes Blan Bois Bos Bru Cail Can Cer Cla Col Cot Dau
Des Dor Esc Fau Fl Fra Gen Ger Gib Gob Guer Her Hu Jac
Jo Lab Lag Lev Lu Mag Man Mat Mich Nau Ol Pag Pen Pic
Pin Pom Pon Ran Ros Rui Saul Tes Thi Tho Vas Vig
""".split()  # noqa: SIM905 - a word list reads better so
ENDINGS = """
ard ier on et eau in ot and ault ais aud ac as at
é ès ère ey ol ou oux y ille elle ette ard ant ent
erie ade in ain ier ieux ond ourt ard ès ac eix iac ieu
ange enne ime aux ert
""".split()  # noqa: SIM905 - a word list reads better so
PARTICLES = ["Le ", "La ", "Du ", "De ", "Des "]

_ACCENTED = frozenset("àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ")


def has_accent(value: str) -> bool:
    return any(char in _ACCENTED for char in value)


def has_separator(value: str) -> bool:
    return "-" in value or " " in value


class Picker:
    """Zipf-like weighted choice in a list (the first names are the most common)."""

    def __init__(self, values: list[str], exponent: float = 0.9) -> None:
        self.values = values
        self.cumulative = list(
            accumulate(1 / (rank + 1) ** exponent for rank in range(len(values)))
        )

    def pick(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.values[bisect_left(self.cumulative, point)]


LAST = Picker(LAST_NAMES, exponent=0.6)
MALE = Picker(MALE_FIRST_NAMES, exponent=0.5)
FEMALE = Picker(FEMALE_FIRST_NAMES, exponent=0.5)
COMMON_SHARE = 0.15  # share of persons bearing one of the common family names above
ACCENTED_LAST = Picker([name for name in LAST_NAMES if has_accent(name)])
ACCENTED_MALE = Picker([name for name in MALE_FIRST_NAMES if has_accent(name)])
ACCENTED_FEMALE = Picker([name for name in FEMALE_FIRST_NAMES if has_accent(name)])
COMPOUND_LAST = Picker([name for name in LAST_NAMES if has_separator(name)])


def first_names(rng: random.Random, *, accented: bool = False, female: bool | None = None) -> str:
    """One to two given names; about one person in seven has a second one."""
    male = rng.random() < 0.85 if female is None else not female  # mostly men are followed
    if accented:
        return (ACCENTED_MALE if male else ACCENTED_FEMALE).pick(rng)
    first = (MALE if male else FEMALE).pick(rng)
    if rng.random() < 0.15:
        return f"{first} {rng.choice(MALE_SECOND_NAMES if male else FEMALE_SECOND_NAMES)}"
    return first


def built_name(rng: random.Random) -> str:
    name = rng.choice(ROOTS) + rng.choice(ENDINGS)
    if rng.random() < 0.06:
        name = rng.choice(PARTICLES) + name
    return name


def last_name(rng: random.Random, *, accented: bool = False, compound: bool = False) -> str:
    if accented:
        return ACCENTED_LAST.pick(rng)
    if compound:
        return (
            f"{built_name(rng)}-{built_name(rng)}"
            if rng.random() < 0.5
            else COMPOUND_LAST.pick(rng)
        )
    draw = rng.random()
    if draw < COMMON_SHARE:
        return LAST.pick(rng)
    if draw < COMMON_SHARE + 0.04:  # double family names
        return f"{LAST.pick(rng)}-{built_name(rng)}"
    return built_name(rng)
