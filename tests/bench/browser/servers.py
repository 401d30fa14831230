"""Starting and stopping the two Streamlit servers (the app and the bare app), each with its run log."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ivpdata.config import PROJECT_ROOT
from tests.support.browser import free_port

STARTUP_SECONDS = 120  # how long a server may take to answer (a wait, not a target)


@dataclass(frozen=True)
class RunLog:
    """The script runs a server timed (tests/bench/browser/launch.py)."""

    path: Path

    def since(self, wall: float) -> list[float]:
        """Seconds of every script run that started at or after `wall` (time.time())."""
        if not self.path.exists():
            return []
        runs = [line.split("\t") for line in self.path.read_text(encoding="utf-8").splitlines()]
        return [float(seconds) for started, seconds, _ in runs if float(started) >= wall - 0.05]


@dataclass(frozen=True)
class Server:
    url: str
    started: float  # time.time() just before the process was started
    ready: float  # seconds from the start until the health check answered
    runs: RunLog
    pid: int

    def memory_mb(self) -> tuple[float, float]:
        """The server process's resident memory now and at its peak, in MB (Linux /proc)."""
        status = Path(f"/proc/{self.pid}/status").read_text(encoding="utf-8").splitlines()
        kb = {line.split(":")[0]: float(line.split()[1]) for line in status if line.startswith(("VmRSS", "VmHWM"))}
        return kb["VmRSS"] / 1024, kb["VmHWM"] / 1024


@contextmanager
def served(script: Path, db: Path, data_dir: Path, folder: Path) -> Iterator[Server]:
    """`script` served by Streamlit from the project folder (so with its .streamlit/config.toml) on
    127.0.0.1 and a free port, on `db` and `data_dir`; always stopped afterwards."""
    port = free_port()
    runs = RunLog(folder / f"runs-{port}.log")
    command = [sys.executable, "-m", "tests.bench.browser.launch", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    command += ["--secrets.files", str(folder / "no-secrets.toml")]  # absent: no developer's secrets
    environment = {
        **os.environ,
        "IVP_DB": str(db),
        "IVP_DATA_DIR": str(data_dir),
        "PYTHONPATH": str(PROJECT_ROOT),
        "BENCH_RUN_LOG": str(runs.path),
    }
    started, log = time.time(), folder / f"server-{port}.log"
    with log.open("ab") as output:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=output)
    try:
        url = f"http://127.0.0.1:{port}"
        yield Server(url, started, _wait_until_healthy(url, process, log) - started, runs, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> float:
    """time.time() when the server's health check first answered."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                if response.status == 200:
                    return time.time()
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server at {url} did not start: {log.read_text(errors='replace')[-2000:]}")
