"""The process supervision behind `ftzsafety demo`, and `ftzsafety serve` / `db_worker` starting for real."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ftzsafety.core.management.processes import Supervisor, bind_address, gunicorn_command, worker_command

SLEEP = [sys.executable, "-c", "import time; time.sleep(60)"]
VENV_BIN = Path(sys.executable).parent


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_child_that_dies_stops_the_other_and_the_status_is_non_zero() -> None:
    messages: list[str] = []
    supervisor = Supervisor(
        {"web": SLEEP, "worker": [sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"]},
        log=messages.append,
        grace_seconds=5,
    )
    started = time.monotonic()
    assert supervisor.run() == 3
    assert time.monotonic() - started < 10
    assert supervisor.children["web"].returncode is not None
    assert not _alive(supervisor.children["web"].pid)
    assert messages == ["worker exited with status 3; stopped the others."]


def test_a_clean_exit_of_a_child_is_still_a_failure() -> None:
    supervisor = Supervisor({"web": SLEEP, "worker": [sys.executable, "-c", "pass"]}, log=lambda _: None)
    assert supervisor.run() == 1


def test_sigterm_stops_both_children_and_exits_zero() -> None:
    supervisor = Supervisor({"web": SLEEP, "worker": SLEEP}, log=lambda _: None, grace_seconds=5)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert supervisor.run() == 0
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGTERM) is previous  # our handler is removed again
    for child in supervisor.children.values():
        assert child.returncode == -signal.SIGTERM


def test_commands_use_this_interpreter_and_sync_workers() -> None:
    command = gunicorn_command(host="127.0.0.1", port=8123, workers=3)
    assert command[:4] == [sys.executable, "-m", "gunicorn", "ftzsafety.wsgi:application"]
    assert "127.0.0.1:8123" in command
    assert command[6:8] == ["--workers", "3"]
    assert command[command.index("--worker-class") + 1] == "sync"
    assert command[command.index("--access-logfile") + 1] == "-"
    assert worker_command() == [sys.executable, "-m", "django", "db_worker"]
    assert bind_address("::1", 80) == "[::1]:80"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("FTZSAFETY_DATABASE_URL", None)
    env["FTZSAFETY_VAR_DIR"] = str(tmp_path / "var")
    env.setdefault("DJANGO_SETTINGS_MODULE", "ftzsafety.settings")
    return env


def test_serve_answers_http_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "ftzsafety"), "serve", "--port", str(port), "--workers", "1"],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status = None
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/enterprises", timeout=20) as reply:
                    status = reply.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert status == 401  # gunicorn serves the app; the API wants a token
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert process.returncode == 0, output
    assert f"Serving on http://127.0.0.1:{port}/" in output
    assert '"GET /api/v1/enterprises HTTP/1.1" 401' in output  # the access log goes to stdout


@pytest.mark.skipif(not (VENV_BIN / "ftzsafety").exists(), reason="the ftzsafety console script is not installed")
def test_db_worker_starts_on_a_migrated_database(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([str(VENV_BIN / "ftzsafety"), "migrate", "-v0"], cwd=tmp_path, env=env, check=True, timeout=120)  # noqa: S603
    done = subprocess.run(
        [sys.executable, "-m", "django", "db_worker", "--batch"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
