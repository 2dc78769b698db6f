"""Child processes of the `serve` and `demo` commands: the gunicorn web server and the task worker.

Children run this same interpreter (`sys.executable -m …`), so they work from the virtualenv without relying on
PATH, and get the same settings module and `var/` directory as the parent.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings


def child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")
    env["FTZSAFETY_VAR_DIR"] = str(settings.VAR_DIR)  # the same database and secret key whatever the child's cwd
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def gunicorn_command(*, host: str, port: int, workers: int) -> list[str]:
    """gunicorn with sync workers (measured steadier than ASGI servers for sync Django; ARCHITECTURE.md)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ftzsafety.wsgi:application",
        "--bind",
        bind_address(host, port),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def worker_command() -> list[str]:
    """The django-tasks database worker (`ftzsafety db_worker`)."""
    return [sys.executable, "-m", "django", "db_worker"]


class Supervisor:
    """Run named child processes until one of them exits or we are asked to stop.

    SIGINT (Ctrl-C) or SIGTERM stops every child with one SIGTERM and exits 0; a second signal kills them at once.
    If a child dies on its own, the others are stopped and the exit status is non-zero. Children run in their own
    process group, so a Ctrl-C in the terminal reaches them only through us, exactly once (the task worker
    treats a second signal as "abandon the running task").
    """

    def __init__(
        self,
        commands: dict[str, list[str]],
        *,
        env: dict[str, str] | None = None,
        log: Callable[[str], Any] = print,
        grace_seconds: float = 20.0,
        poll_seconds: float = 0.2,
    ) -> None:
        self.commands = commands
        self.env = env
        self.log = log
        self.grace_seconds = grace_seconds
        self.poll_seconds = poll_seconds
        self.children: dict[str, subprocess.Popen] = {}
        self.stop_signal: int | None = None

    def _on_signal(self, signum: int, frame: object) -> None:
        if self.stop_signal is None:
            self.stop_signal = signum
        else:  # asked twice: no more waiting
            self._signal_all(signal.SIGKILL)

    def _signal_all(self, signum: int) -> None:
        for child in self.children.values():
            if child.poll() is None:
                with contextlib.suppress(ProcessLookupError):  # exited between poll and signal
                    child.send_signal(signum)

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for name, command in self.commands.items():
                if self.stop_signal is not None:
                    break
                self.children[name] = subprocess.Popen(command, env=self.env, process_group=0)  # noqa: S603
            failed = self._wait_for_exit_or_signal()
            self._stop_all()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is not None:
            name, code = failed
            self.log(f"{name} exited with status {code}; stopped the others.")
            return code if code > 0 else 1  # a clean exit or a death by signal is still a failure here
        return 0

    def _wait_for_exit_or_signal(self) -> tuple[str, int] | None:
        while self.stop_signal is None:
            for name, child in self.children.items():
                code = child.poll()
                if code is not None:
                    return name, code
            time.sleep(self.poll_seconds)
        return None

    def _stop_all(self) -> None:
        self._signal_all(signal.SIGTERM)
        deadline = time.monotonic() + self.grace_seconds
        for child in self.children.values():
            remaining = max(0.0, deadline - time.monotonic())
            try:
                child.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
