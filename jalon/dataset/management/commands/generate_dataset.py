"""``manage.py generate_dataset --scale small|national --seed N``: a synthetic country."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jalon.dataset.generate import SCALES, NotEmpty, Sizes, generate


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic dataset (organisation, agents, persons, "
        "convocations, SMS, history, injected near-duplicates, SISPoPP situations, penal "
        "procedures) with COPY."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--anchor",
            type=date.fromisoformat,
            default=None,
            help="Day taken as 'today' (YYYY-MM-DD, default: today in UTC); same seed and "
            "anchor give the same rows.",
        )
        parser.add_argument("--persons", type=int, help="Override the scale's person count.")
        parser.add_argument(
            "--appointments", type=int, help="Override the scale's convocation count."
        )
        parser.add_argument(
            "--situations", type=int, help="Override the scale's situation count (SISPoPP)."
        )
        parser.add_argument(
            "--procedures", type=int, help="Override the scale's penal procedure count."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete organisation, persons and everything attached to them first.",
        )
        parser.add_argument("--no-analyze", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        base = SCALES[options["scale"]]
        persons = options["persons"] or base.persons
        appointments = options["appointments"] or (base.appointments * persons // base.persons)
        situations = options["situations"]
        if situations is None:
            situations = base.situation_count * persons // base.persons
        procedures = options["procedures"]
        if procedures is None:
            procedures = base.procedure_count * persons // base.persons
        sizes = Sizes(
            persons,
            appointments,
            max(1, base.pairs * persons // base.persons),
            situations,
            procedures,
        )
        anchor = options["anchor"] or datetime.now(tz=UTC).date()
        self.stdout.write(
            f"Scale {options['scale']}, seed {options['seed']}, anchor {anchor}: "
            f"{sizes.persons:,} persons, {sizes.appointments:,} convocations, "
            f"{sizes.pairs:,} injected pairs, {sizes.situation_count:,} situations, "
            f"{sizes.procedure_count:,} penal procedures."
        )
        try:
            context = generate(
                scale=options["scale"],
                seed=options["seed"],
                anchor=anchor,
                sizes=sizes,
                do_reset=options["reset"],
                analyze=not options["no_analyze"],
                log=lambda line: self.stdout.write(f"  {line}"),
            )
        except NotEmpty as error:
            raise CommandError(
                f"The database already holds data ({error}): run on an empty database, "
                "or pass --reset to delete it first."
            ) from None
        for name, count in context.counts.items():
            self.stdout.write(f"{name}: {count:,}")
        for name, seconds in context.timings:
            self.stdout.write(f"[time] {name}: {seconds:.1f} s")
