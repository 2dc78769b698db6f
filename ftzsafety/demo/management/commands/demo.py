"""`ftzsafety demo`: migrate, seed the demo zone into an empty database, print the logins, then serve the site
with gunicorn and run the task worker until Ctrl-C."""

import sys
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from ftzsafety.core.management.processes import Supervisor, child_environment, gunicorn_command, worker_command
from ftzsafety.demo.logins import logins_text, report_text
from ftzsafety.demo.seed import database_has_organisations, seed_demo
from ftzsafety.security import crypto


class Command(BaseCommand):
    help = (
        "Run the demo: migrate, seed the demo zone when the database has no organisations, print the demo logins, "
        "serve on http://127.0.0.1:8000 (gunicorn) and run the task worker. Ctrl-C stops both."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2).")
        parser.add_argument("--no-worker", action="store_true", help="Do not run the task worker.")

    def handle(self, *args: Any, host: str, port: int, workers: int, no_worker: bool, **options: Any) -> None:
        # Refuse to serve with broken national cryptography (GB/T 32905, 32907, 32918 known-answer tests).
        try:
            crypto.require_selftest()
        except crypto.SelfTestFailed as exc:
            raise CommandError(f"crypto self-test failed, not serving: {exc}") from exc
        self.stdout.write("Migrating the database …")
        call_command("migrate", interactive=False, verbosity=0)
        if database_has_organisations():
            self.stdout.write("The database already has organisations: not seeding the demo zone.")
        else:
            started = time.monotonic()
            report = seed_demo()
            self.stdout.write(report_text(report, time.monotonic() - started))
        self.stdout.write("")
        self.stdout.write(logins_text())
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Open http://{host}:{port}/  (Ctrl-C stops the server and the worker)"))
        self.stdout.flush()
        connections.close_all()  # the children open their own

        commands = {"gunicorn": gunicorn_command(host=host, port=port, workers=max(1, workers))}
        if not no_worker:
            commands["db_worker"] = worker_command()
        status = Supervisor(commands, env=child_environment(), log=self.stderr.write).run()
        if status:
            sys.exit(status)
