"""The running production topology (scripts/prod-up.sh), as the tests see it: settings, processes, logs.

Everything is read from $PROD_DIR/topology.env, which prod-up writes; the tests only ever talk to
loopback addresses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import requests

ROOT = Path(__file__).resolve().parents[2]
PROD_UP = ROOT / "scripts" / "prod-up.sh"


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines, values literal (the format prod-up writes and docker compose reads)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        values[key] = value
    return values


def prod_dir() -> Path:
    configured = os.environ.get("PROD_DIR", "var/prod")
    path = Path(configured)
    return path if path.is_absolute() else ROOT / path


@dataclass(frozen=True)
class Topology:
    settings: Mapping[str, str]
    directory: Path

    @classmethod
    def load(cls) -> "Topology":
        directory = prod_dir()
        return cls(read_env_file(directory / "topology.env"), directory)

    # --- addresses ------------------------------------------------------------------------------------

    @property
    def public_url(self) -> str:
        return f"http://{self.settings['NGINX_LISTEN']}"

    @property
    def webchat_url(self) -> str:
        return f"{self.public_url}/webhooks/webchat"

    @property
    def tracker_url(self) -> str:
        return self.settings["TRACKER_DATABASE_URL"]

    @property
    def clinic_url(self) -> str:
        return self.settings["CLINIC_DATABASE_URL"]

    def rasa_ports(self) -> list[int]:
        base = int(self.settings["RASA_BASE_PORT"])
        return [base + i for i in range(int(self.settings["RASA_INSTANCES"]))]

    def action_ports(self) -> list[int]:
        base = int(self.settings["ACTION_BASE_PORT"])
        return [base + i for i in range(int(self.settings["ACTION_REPLICAS"]))]

    # --- processes ------------------------------------------------------------------------------------

    @property
    def log_dir(self) -> Path:
        return self.directory / "logs"

    def pid(self, component: str) -> int | None:
        path = self.directory / "run" / f"{component}.pid"
        try:
            pid = int(path.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except OSError:
            return None
        return pid

    def cpu_seconds(self, component: str) -> float:
        """CPU time (user + system) a running component has used so far."""
        pid = self.pid(component)
        if pid is None:
            return 0.0
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self, component: str, sig: int = signal.SIGKILL) -> int:
        """Kill a component prod-up started (by its pid file); returns the pid it had."""
        pid = self.pid(component)
        assert pid is not None, f"{component} is not running"
        os.kill(pid, sig)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except OSError:
                return pid
            time.sleep(0.1)
        raise AssertionError(f"{component} (pid {pid}) did not stop")

    def bring_up(self, timeout: float = 600) -> None:
        """Run prod-up again: it starts whatever is not running and waits until it answers."""
        completed = subprocess.run(
            ["nice", "-n", "19", str(PROD_UP)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PROD_DIR": str(self.directory)},
        )
        assert completed.returncode == 0, completed.stderr[-3000:]

    def postgres(self, action: str) -> None:
        """pg_ctl stop or restart on the topology's cluster, as its owner. "restart" also starts a stopped
        cluster, with the options of its last start (postmaster.opts)."""
        assert action in ("stop", "restart")
        bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        command = [str(bindir / "pg_ctl"), "-D", str(self.directory / "pg" / "data"), "-w", "-t", "60", "-m", "fast"]
        if action == "restart":
            command += ["-l", str(self.log_dir / "postgresql.log")]
        command.append(action)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--"] + command
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def healthy(self) -> bool:
        try:
            return requests.get(f"{self.public_url}/healthz", timeout=5).ok
        except requests.RequestException:
            return False
