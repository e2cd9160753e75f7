"""The real assistant for integration and browser tests: the action server and the Rasa server (python -m rasa_server), on loopback.

It is started once per test session (whichever test directory asks first) with the newest trained
model (models/clinic-*.tar.gz), the project's credentials.yml, its own endpoints (a SQLite tracker
store and clinic database in a temporary directory), test secrets for every channel, and the providers' APIs pointed
at a local stand-in (provider_standin.py). Without a model the tests are skipped, except in CI
(the CI variable set), where that is a failure: `make test` trains before pytest.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import pytest
import requests
import yaml
from channel_harness import free_port
from provider_standin import ProviderStandIn

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
RASA = ROOT / ".venv" / "bin" / "rasa"
PYTHON = ROOT / ".venv" / "bin" / "python"
START_TIMEOUT_SECONDS = 300
CLINIC_SITE = "https://www.demo-skin-clinic.example"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def newest_model() -> Optional[Path]:
    models = sorted(MODELS.glob("clinic-*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def require_model() -> Path:
    model = newest_model()
    if model is not None:
        return model
    message = (
        f"no trained model in {MODELS} (models/clinic-*.tar.gz): the integration and browser tests need one. "
        "Train it with `make train` (`make test` trains before pytest)."
    )
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@dataclass
class Secrets:
    webchat: str
    twilio_account_sid: str
    twilio_auth_token: str
    telegram_token: str
    telegram_secret_token: str
    messenger_verify_token: str
    messenger_app_secret: str
    messenger_page_token: str

    @classmethod
    def random(cls) -> "Secrets":
        return cls(
            webchat=secrets.token_hex(32),
            twilio_account_sid="AC" + secrets.token_hex(16),
            twilio_auth_token=secrets.token_hex(16),
            telegram_token=f"{secrets.randbelow(10**9)}:{secrets.token_urlsafe(26)}",
            telegram_secret_token=secrets.token_urlsafe(24),
            messenger_verify_token=secrets.token_urlsafe(12),
            messenger_app_secret=secrets.token_hex(16),
            messenger_page_token="EAA" + secrets.token_urlsafe(40),
        )


@dataclass
class RunningAssistant:
    url: str
    provider: ProviderStandIn
    secrets: Secrets
    workdir: Path

    def webhook(self, channel: str, route: str = "webhook") -> str:
        return f"{self.url}/webhooks/{channel}/{route}"


class AssistantProcesses:
    def __init__(self) -> None:
        self.provider = ProviderStandIn()
        self.workdir = Path(tempfile.mkdtemp(prefix="clinic-assistant-test-"))
        self.processes: list[subprocess.Popen] = []
        self.running: Optional[RunningAssistant] = None

    def environment(self, rasa_port: int, action_port: int, test_secrets: Secrets) -> dict[str, str]:
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        tracker_db = self.workdir / "tracker.db"
        return {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "PYTHONHASHSEED": "0",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{action_port}/webhook",
            "TRACKER_DB_DIALECT": "sqlite",
            "TRACKER_DB_HOST": "",
            "TRACKER_DB_PORT": "",
            "TRACKER_DB_NAME": str(tracker_db),
            "TRACKER_DB_USER": "",
            "TRACKER_DB_PASSWORD": "",
            "TRACKER_DATABASE_URL": f"sqlite:///{tracker_db}",
            "CLINIC_DATABASE_URL": f"sqlite:///{self.workdir / 'clinic.db'}",
            "LOCK_STORE_TYPE": "in_memory",
            "WEBCHAT_SECRET": test_secrets.webchat,
            "CORS_ORIGINS": CLINIC_SITE,
            # every test visitor comes from 127.0.0.1: lift the per-address limit on new conversations
            # (the limit itself is tested in test_channel_webhooks.py)
            "WEBCHAT_SESSIONS_PER_MINUTE": "1000",
            "TWILIO_ACCOUNT_SID": test_secrets.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": test_secrets.twilio_auth_token,
            "TWILIO_WEBHOOK_URL": f"{rasa_url}/webhooks/twilio/webhook",
            "TWILIO_API_URL": self.provider.url,
            "TELEGRAM_TOKEN": test_secrets.telegram_token,
            "TELEGRAM_SECRET_TOKEN": test_secrets.telegram_secret_token,
            "TELEGRAM_API_URL": self.provider.url,
            "MESSENGER_VERIFY_TOKEN": test_secrets.messenger_verify_token,
            "MESSENGER_APP_SECRET": test_secrets.messenger_app_secret,
            "MESSENGER_PAGE_TOKEN": test_secrets.messenger_page_token,
            "MESSENGER_API_URL": f"{self.provider.url}/v19.0",
        }

    def endpoints_file(self, action_port: int) -> Path:
        """Endpoints for the test: this action server, a fresh SQLite tracker store of the class the project
        serves with (endpoints.yml), in-memory locks."""
        store = yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"]["type"]
        path = self.workdir / "endpoints.yml"
        path.write_text(
            f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
            f"tracker_store:\n  type: {store}\n  dialect: sqlite\n  db: {self.workdir / 'tracker.db'}\n"
            "lock_store:\n  type: in_memory\n"
        )
        return path

    def spawn(self, command: list[str], env: dict[str, str], log_name: str) -> subprocess.Popen:
        log = open(self.workdir / log_name, "wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append(process)
        return process

    def log_tail(self, log_name: str, lines: int = 40) -> str:
        path = self.workdir / log_name
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def wait_until_up(self, url: str, process: subprocess.Popen, log_name: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{log_name} exited with {process.returncode}:\n{self.log_tail(log_name)}")
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"{url} did not answer within {START_TIMEOUT_SECONDS}s:\n{self.log_tail(log_name)}")

    def start(self, model: Path) -> RunningAssistant:
        # A copy, so that a newer training run replacing models/ cannot pull the file away mid-start.
        model_copy = self.workdir / model.name
        shutil.copyfile(model, model_copy)
        rasa_port, action_port = free_port(), free_port()
        test_secrets = Secrets.random()
        env = self.environment(rasa_port, action_port, test_secrets)

        if (ROOT / "actions" / "admin.py").exists():  # as scripts/run.sh does: the clinic database
            subprocess.run(
                [str(PYTHON), "-m", "actions.admin", "init-demo"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        actions = self.spawn(
            [str(RASA), "run", "actions", "--actions", "actions.conversation", "--port", str(action_port)],
            env,
            "action-server.log",
        )
        self.wait_until_up(f"http://127.0.0.1:{action_port}/health", actions, "action-server.log")
        rasa = self.spawn(
            [
                str(PYTHON),
                "-m",
                "rasa_server",
                "run",
                "--model",
                str(model_copy),
                "--endpoints",
                str(self.endpoints_file(action_port)),
                "--credentials",
                str(ROOT / "credentials.yml"),
                "--interface",
                "127.0.0.1",
                "--port",
                str(rasa_port),
                "--cors",
                CLINIC_SITE,
            ],
            env,
            "rasa.log",
        )
        url = f"http://127.0.0.1:{rasa_port}"
        self.wait_until_up(f"{url}/webhooks/webchat/", rasa, "rasa.log")
        self.check_it_answers(url, model)
        self.running = RunningAssistant(url, self.provider, test_secrets, self.workdir)
        return self.running

    def check_it_answers(self, url: str, model: Path) -> None:
        """Rasa serves its routes even when the model failed to load: a new web chat must be greeted."""
        answer = requests.post(f"{url}/webhooks/webchat/session", json={}, timeout=60)
        if answer.status_code == 200 and answer.json().get("messages"):
            return
        raise RuntimeError(
            f"the assistant does not answer with {model.name} (a model trained before the spaCy pipeline or the "
            f"data changed? `make train` makes a current one). Rasa's log ends:\n{self.log_tail('rasa.log')}\n"
            f"action server's log ends:\n{self.log_tail('action-server.log', 15)}"
        )

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
        self.processes.clear()
        self.provider.close()
        if not os.environ.get("KEEP_TEST_LOGS"):
            shutil.rmtree(self.workdir, ignore_errors=True)


_started: Optional[AssistantProcesses] = None
_failure: Optional[str] = None


def running_assistant() -> RunningAssistant:
    """The assistant of this test session, started on first use (a start failure fails every user)."""
    global _started, _failure
    model = require_model()
    if _failure is not None:
        pytest.fail(_failure, pytrace=False)
    if _started is None:
        _started = AssistantProcesses()
        atexit.register(stop_assistant)
        try:
            _started.start(model)
        except RuntimeError as error:
            _failure = f"the assistant did not start: {error}"
            pytest.fail(_failure, pytrace=False)
    assert _started.running is not None
    return _started.running


def stop_assistant() -> None:
    global _started
    if _started is not None:
        _started.stop()
        _started = None
