"""`ftzsafety crypto_selftest`: the GB/T known-answer vectors of SM3, SM4 and SM2; exits 1 if any fails."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.security import crypto


class Command(BaseCommand):
    help = "Run the national cryptography known-answer tests (SM3, SM4, SM4-GCM, SM2); exit 1 if any fails."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fast", action="store_true", help="skip the 1,000,000-round SM4 vector")

    def handle(self, *args: Any, fast: bool = False, **options: Any) -> None:
        started = time.perf_counter()
        results = crypto.selftest(full=not fast)
        for name, ok in results:
            line = f"{'ok  ' if ok else 'FAIL'}  {name}"
            self.stdout.write(self.style.SUCCESS(line) if ok else self.style.ERROR(line))
        failed = [name for name, ok in results if not ok]
        elapsed = time.perf_counter() - started
        if failed:
            raise CommandError(f"{len(failed)} of {len(results)} crypto self-tests failed", returncode=1)
        self.stdout.write(f"all {len(results)} crypto self-tests passed in {elapsed:.1f} s")
