"""`ftzsafety rotate_keys`: a new SM4 data key, and every encrypted value re-encrypted under it."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ftzsafety.security import fields, keys


class Command(BaseCommand):
    help = (
        "Create a new SM4 data key and re-encrypt every encrypted field of every model under it "
        "(one transaction per model). Old keys are kept, so nothing becomes unreadable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-new-key",
            action="store_true",
            help="keep the current key and only re-encrypt values still under older keys (finish an interrupted run)",
        )
        parser.add_argument("--batch-size", type=int, default=500, help="rows read and locked per query")

    def handle(self, *args: Any, no_new_key: bool = False, batch_size: int = 500, **options: Any) -> None:
        key_id, results = fields.data_key_rotate(actor=None, new_key=not no_new_key, batch_size=batch_size)
        self.stdout.write(f"{'new' if not no_new_key else 'current'} data key: {key_id}")
        for result in results:
            self.stdout.write(f"  {result.model}: {result.rows} rows, {result.values} values re-encrypted")
        total_rows = sum(r.rows for r in results)
        total_values = sum(r.values for r in results)
        self.stdout.write(
            self.style.SUCCESS(
                f"re-encrypted {total_values} values in {total_rows} rows of {len(results)} models; "
                f"data keys kept: {', '.join(keys.data_key_ids())}"
            )
        )
