"""The initial general information pages (MSJ-73), in plain French; national admins edit them
afterwards. General information only: no legal advice, no article numbers."""

from __future__ import annotations

# (slug, title, summary, Markdown)
INITIAL_PAGES: list[tuple[str, str, str, str]] = [
    (
        "peine-en-milieu-ouvert",
        "Exécuter une peine en milieu ouvert",
        "Ce que veut dire « être suivi » sans être en prison.",
        """Une peine « en milieu ouvert » s’exécute **en dehors de la prison** : vous continuez à vivre chez vous, à travailler ou à vous former, mais vous devez respecter les règles fixées par le tribunal ou par le juge de l’application des peines.

## Quelles peines ?

Par exemple :

- le **sursis probatoire** : la peine de prison n’est pas exécutée si vous respectez des obligations pendant un certain temps ;
- le **travail d’intérêt général** (TIG) : un travail non payé au profit de la collectivité, avec votre accord ;
- la **détention à domicile sous surveillance électronique** : vous restez chez vous à certaines heures, avec un bracelet ;
- le **suivi socio-judiciaire** et d’autres mesures décidées par le tribunal.

## Comment se passe le suivi ?

Vous êtes convoqué(e), par courrier et souvent par SMS, au service pénitentiaire d’insertion et de probation (SPIP) ou au tribunal. Un conseiller ou une conseillère vous reçoit régulièrement pour faire le point et vous aider dans vos démarches (travail, logement, soins).

## Pourquoi venir aux convocations ?

Venir aux convocations fait partie de la peine. Si vous ne venez pas sans prévenir, le juge peut être informé et prendre des mesures plus sévères. **Si vous avez un empêchement, prévenez le service le plus tôt possible.**
""",
    ),
    (
        "amenagements-de-peine",
        "Les aménagements de peine",
        "Exécuter une peine de prison autrement, sous conditions.",
        """Un **aménagement de peine** permet d’exécuter une peine de prison autrement qu’en étant enfermé(e) tout le temps, ou d’en sortir plus tôt, sous conditions.

## Quelques aménagements

- la **détention à domicile sous surveillance électronique** (le bracelet) ;
- la **semi-liberté** : vous sortez la journée (travail, formation, soins) et revenez le soir dans un établissement ;
- le **placement à l’extérieur** : vous êtes suivi(e) par une association ou une structure d’accueil ;
- la **libération conditionnelle** : vous sortez avant la fin de la peine, en respectant des obligations.

## Qui décide ?

C’est en général le **juge de l’application des peines** (JAP) qui décide, après avoir étudié votre situation : travail, logement, famille, soins, projet. Le SPIP l’aide à préparer cette décision.

## Comment le demander ?

Parlez-en au service qui vous suit ou à votre avocat. Un avocat peut vous aider gratuitement si vos ressources sont faibles (aide juridictionnelle) : renseignez-vous au tribunal ou dans un point-justice.

## Et si je ne respecte pas les conditions ?

L’aménagement peut être retiré : vous devriez alors exécuter la peine en prison.
""",
    ),
    (
        "obligations-et-interdictions",
        "Obligations et interdictions",
        "Ce que le juge peut vous demander de faire, ou de ne pas faire.",
        """Le tribunal ou le juge peut vous demander de respecter des **obligations** (ce que vous devez faire) et des **interdictions** (ce que vous ne devez pas faire). Elles sont écrites dans la décision qui vous a été remise : gardez-la.

## Exemples d’obligations

- répondre aux convocations du juge et du SPIP ;
- prévenir le service de tout changement d’adresse ou d’emploi, et de vos déplacements à l’étranger ;
- travailler, chercher un emploi ou suivre une formation ;
- suivre des soins ;
- indemniser la victime (payer ce que le tribunal a fixé) ;
- faire un stage (par exemple de sensibilisation à la sécurité routière).

## Exemples d’interdictions

- ne pas entrer en contact avec la victime ou certaines personnes ;
- ne pas aller dans certains lieux ;
- ne pas conduire certains véhicules ;
- ne pas détenir d’arme.

## Si vous avez un doute

Demandez au service qui vous suit ce que chaque obligation veut dire pour vous. Si une obligation devient impossible à respecter (santé, travail, famille), dites-le **avant** de ne plus la respecter : le juge peut, dans certains cas, la modifier.
""",
    ),
    (
        "qui-fait-quoi",
        "Qui fait quoi dans votre suivi",
        "Le juge, le SPIP, le greffe : qui vous convoque et pourquoi.",
        """Plusieurs services peuvent intervenir dans votre suivi.

## Le juge de l’application des peines (JAP)

Il fixe et contrôle les modalités d’exécution de la peine : il peut aménager la peine, modifier des obligations, ou prendre des sanctions si elles ne sont pas respectées. Il est aidé par le **service de l’application des peines** (SAP), au tribunal.

## Le service pénitentiaire d’insertion et de probation (SPIP)

Ses conseillers (CPIP) vous reçoivent, vérifient que les obligations sont respectées et vous accompagnent vers le travail, le logement ou les soins. Ils rendent compte au juge.

## Le bureau de l’exécution des peines (BEX)

Au tribunal, juste après le jugement, il peut vous remettre des informations et une première convocation.

## Le procureur de la République (parquet)

Il veille à ce que les décisions de justice soient exécutées.

## Votre avocat

Il peut vous conseiller et vous assister, notamment devant le juge de l’application des peines. Si vos ressources sont faibles, vous pouvez demander l’aide juridictionnelle.

## Les associations

Des associations peuvent vous aider (logement, emploi, santé, aide aux démarches). La page de votre service en indique certaines.
""",
    ),
]
