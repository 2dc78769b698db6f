"""`ftzsafety serve`: the web application under gunicorn (sync workers, access log on stdout)."""

import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ftzsafety.core.management.processes import child_environment, gunicorn_command
from ftzsafety.security import crypto


class Command(BaseCommand):
    help = "Serve the web application with gunicorn (sync workers; access log on stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to listen on (default 8000).")
        parser.add_argument("--workers", type=int, default=2, help="Number of sync worker processes (default 2).")

    def handle(self, *args: Any, host: str, port: int, workers: int, **options: Any) -> None:
        # Refuse to serve with broken national cryptography (GB/T 32905, 32907, 32918 known-answer tests).
        try:
            crypto.require_selftest()
        except crypto.SelfTestFailed as exc:
            raise CommandError(f"crypto self-test failed, not serving: {exc}") from exc
        command = gunicorn_command(host=host, port=port, workers=max(1, workers))
        self.stdout.write(f"Serving on http://{host}:{port}/ with {max(1, workers)} gunicorn worker(s).")
        self.stdout.flush()
        sys.stderr.flush()
        # gunicorn replaces this process, so signals (Ctrl-C, SIGTERM) and the exit status are gunicorn's own.
        os.execve(command[0], command, child_environment())  # noqa: S606
