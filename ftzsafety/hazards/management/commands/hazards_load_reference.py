"""`ftzsafety hazards_load_reference`: (re)load the self-check lists, routing rules and rectification periods that
are missing (migration 0002 does this on migrate; existing rows are left as they are)."""

from typing import Any

from django.core.management.base import BaseCommand

from ftzsafety.hazards.reference_data import load


class Command(BaseCommand):
    help = "Load the hazards reference data that is missing (self-check lists, routing rules, periods)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = load()
        self.stdout.write(
            "lists {lists}, items {items}, routing rules {rules}, periods {periods} created".format(**counts)
        )
