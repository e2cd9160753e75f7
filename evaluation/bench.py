"""`make bench`: latency, memory, training and start-up time of the assistant, as ratios to the stock
Rasa starter bot measured in the same run on the same machine.

    python -m evaluation.bench [--out results/bench] [--visitors 20] [--model M] [--profile]

In a temporary directory (removed at the end unless --keep):
1. trains our assistant from scratch: a copy of the project (config, domain, data, spaCy patterns,
   actions, channels), `python -m spacy_pipeline.build`, `rasa train` with an empty cache (--model
   skips this and serves M instead: training time is then not measured);
2. creates the starter bot with `rasa init --no-prompt` (which trains it, from an empty cache);
3. starts each assistant alone on free loopback ports with its own temporary databases and measures the
   time from start to its first answer. Ours is the action server plus `rasa run` with the project's
   credentials.yml and a SQLite tracker store and clinic database (what `make run` runs); the starter
   is stock (`rasa run`, in-memory tracker store). A third server, the starter with our SQLite tracker
   store ("starter+sql"), is a control that separates the tracker store's cost from the rest;
4. sends the same load to each, phase by phase, ours first then the others right after (so that the
   machine's noise hits both alike) through the REST channel:
   - faq: consultation questions ("does microneedling hurt?") - NLU and an answer, no database;
   - journey: the consultation (concerns, consent, screening questions), a booking (times offered, hold,
     contact, confirmation) and a handoff ticket: custom actions with database reads and writes. The
     starter bot gets the very messages our visitors sent, in the same order and concurrency;
   each as single visitors one after another, then --visitors visitors at once;
5. reads each process's peak resident memory (VmHWM), checks the bookings and handoff tickets really
   reached the clinic database, prints the table and writes results/bench/report.md (+ a dated copy and
   bench.json). --profile records py-spy profiles of our servers during the concurrent phases.

Targets (issue 8): p95 within 1.2x of the starter bot on faq turns and 1.5x on journey turns; the Rasa
server's peak memory within 1.2x.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Awaitable, Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RASA = BIN / "rasa"  # stock Rasa: the starter bot, and the action server (rasa_sdk)
OUR_RASA = [sys.executable, "-m", "rasa_server"]  # the project's Rasa server (rasa_server/__init__.py)
PY_SPY = BIN / "py-spy"
PROJECT_PARTS = (
    "config.yml",
    "domain.yml",
    "credentials.yml",
    "endpoints.yml",
    "data",
    "actions",
    "rasa_server",
    "contract",
    "docs",  # the rules are checked against docs/clinical-kb.md when the action server starts
    "spacy_pipeline",
)
START_TIMEOUT = 600.0
REQUEST_TIMEOUT = 120.0
TARGETS = {"faq": 1.2, "journey": 1.5, "rasa_rss": 1.2}
SLOWEST = 8  # the slowest turns of each phase, listed in the report (where to look next)

# Consultation questions as visitors type them: each is answered by the answer action, no database.
FAQ_MESSAGES = (
    "does microneedling hurt?",
    "how much is morpheus 8",
    "how long will i be red after dermapen",
    "what actually is the vampire facial",
    "how many sessions would i need for acne scars",
    "can you do microneedling on my neck",
    "what should i do after the treatment",
    "is it safe for dark skin",
    "when will i see results",
    "are you open on saturdays",
    "is rf microneedling worth the money",
    "whats the downtime for prp",
)
WARMUP_MESSAGES = ("hi", "does it hurt?", "how much is it")
SURNAMES = ("Okafor", "Jones", "Patel", "Nowak", "Silva", "Murphy", "Kowalski", "Brown", "Haddad", "Lindqvist")


# --- processes -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_environment() -> dict[str, str]:
    env = {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": "Agg",
    }
    # make run exports every channel variable credentials.yml expands, empty unless set: so do we (a
    # messaging channel with empty secrets stays off; the web chat generates its secret under var/).
    credentials = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    for name in set(re.findall(r"\$\{([A-Z0-9_]+)\}", credentials)):
        env[name] = ""
    env["CORS_ORIGINS"] = "http://127.0.0.1"
    return env


@dataclass
class Server:
    name: str
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    url: str = ""
    started_at: float = 0.0
    first_answer_seconds: Optional[float] = None
    logs: dict[str, Path] = field(default_factory=dict)
    replays: bool = False  # sent the messages ours was sent (the starter), rather than conversing itself

    def spawn(self, role: str, argv: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen:
        sink = open(log, "wb")
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[role] = process
        self.logs[role] = log
        return process

    def peak_rss_mb(self) -> dict[str, Optional[float]]:
        return {role: peak_rss_mb(p.pid) for role, p in self.processes.items()}

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(5)
                except ProcessLookupError:
                    pass


def process_tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                queue += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return pids


def peak_rss_mb(pid: int) -> Optional[float]:
    """Peak resident set size (VmHWM) of a process and its children, in MiB."""
    total_kb, found = 0, False
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total_kb += int(line.split()[1])
                    found = True
        except OSError:
            pass
    return round(total_kb / 1024, 1) if found else None


def log_tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""


def timed(argv: list[str], cwd: Path, env: dict[str, str], log: Path, timeout: float = 7200) -> tuple[float, float]:
    """Run a command to completion: (wall seconds, CPU seconds of it and its children). On a shared
    machine the CPU time is the steadier of the two."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise RuntimeError(f"{' '.join(argv[:3])} ran out of time; see {log}") from None
    if code != 0:
        raise RuntimeError(f"{' '.join(argv[:3])} failed ({code}):\n{log_tail(log)}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.monotonic() - started, cpu


def wait_for_health(url: str, process: subprocess.Popen, log: Path) -> None:
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.name}: exited {process.returncode}:\n{log_tail(log)}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {START_TIMEOUT:.0f}s:\n{log_tail(log)}")


def wait_for_first_answer(server: Server) -> None:
    """Poll the REST channel with "hi" until it answers with at least one message."""
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    rasa = server.processes["rasa"]
    while time.monotonic() < deadline:
        if rasa.poll() is not None:
            raise RuntimeError(f"{server.name}: rasa exited {rasa.returncode}:\n{log_tail(server.logs['rasa'])}")
        try:
            answer = requests.post(
                f"{server.url}/webhooks/rest/webhook",
                json={"sender": f"first-{uuid.uuid4().hex[:8]}", "message": "hi"},
                timeout=30,
            )
            if answer.ok and answer.json():
                server.first_answer_seconds = time.monotonic() - server.started_at
                return
        except (requests.RequestException, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name}: no answer within {START_TIMEOUT:.0f}s:\n{log_tail(server.logs['rasa'])}")


def project_tracker_store() -> str:
    """The tracker store class the project serves with (endpoints.yml), measured as ours."""
    import yaml

    return yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))["tracker_store"]["type"]


def sql_endpoints(path: Path, tracker_db: Path, action_port: Optional[int], tracker_store: str = "SQL") -> Path:
    text = ""
    if action_port:
        text += f"action_endpoint:\n  url: http://127.0.0.1:{action_port}/webhook\n"
    text += (
        f"tracker_store:\n  type: {tracker_store}\n  dialect: sqlite\n  db: {tracker_db}\n"
        "lock_store:\n  type: in_memory\n"
    )
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Variant:
    """Ours with a candidate change, measured side by side (--variant): extra environment variables
    for both servers, and/or another tracker store class (a module path Rasa loads)."""

    name: str
    env: dict[str, str] = field(default_factory=dict)
    tracker_store: str = field(default_factory=project_tracker_store)

    @classmethod
    def parse(cls, spec: str) -> "Variant":
        """ "NAME=KEY=VALUE;KEY=VALUE", where the key tracker_store names the tracker store class."""
        name, _, settings = spec.partition("=")
        variant = cls(name.strip())
        for setting in filter(None, (part.strip() for part in settings.split(";"))):
            key, _, value = setting.partition("=")
            if key == "tracker_store":
                variant.tracker_store = value
            else:
                variant.env[key] = value
        return variant


def start_ours(project: Path, model: Path, work: Path, variant: Optional[Variant] = None) -> Server:
    """The action server and `rasa run` started together (their start-up overlaps), as `make run` serves."""
    variant = variant or Variant("ours")
    server = Server(variant.name)
    env = {
        **base_environment(),
        "CLINIC_DATABASE_URL": f"sqlite:///{work / 'clinic.db'}",
        "TRACKER_DATABASE_URL": f"sqlite:///{work / 'tracker.db'}",
        **variant.env,
    }
    subprocess.run(
        [sys.executable, "-m", "actions.admin", "init-demo"],
        cwd=project,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    action_port, rasa_port = free_port(), free_port()
    endpoints = sql_endpoints(work / "endpoints.yml", work / "tracker.db", action_port, variant.tracker_store)
    server.url = f"http://127.0.0.1:{rasa_port}"
    server.started_at = time.monotonic()
    actions = server.spawn(
        "action_server",
        [str(RASA), "run", "actions", "--actions", "actions.conversation", "--port", str(action_port)],
        project,
        env,
        work / "action-server.log",
    )
    server.spawn(
        "rasa",
        [
            *OUR_RASA,
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(project / "credentials.yml"),
            "--interface",
            "127.0.0.1",
            "--port",
            str(rasa_port),
        ],
        project,
        env,
        work / "rasa.log",
    )
    wait_for_health(f"http://127.0.0.1:{action_port}/health", actions, work / "action-server.log")
    wait_for_first_answer(server)
    return server


def start_starter(starter: Path, model: Path, work: Path, name: str, sql: bool) -> Server:
    server = Server(name, replays=True)
    port = free_port()
    endpoints = sql_endpoints(work / "endpoints.yml", work / "tracker.db", None) if sql else starter / "endpoints.yml"
    server.url = f"http://127.0.0.1:{port}"
    server.started_at = time.monotonic()
    server.spawn(
        "rasa",
        [
            str(RASA),
            "run",
            "--model",
            str(model),
            "--endpoints",
            str(endpoints),
            "--credentials",
            str(starter / "credentials.yml"),
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        starter,
        base_environment(),
        work / "rasa.log",
    )
    wait_for_first_answer(server)
    return server


# --- training --------------------------------------------------------------------------------------


def copy_project(destination: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build")
    destination.mkdir(parents=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, destination / part, ignore=ignore)
        else:
            shutil.copy2(source, destination / part)
    return destination


def train_ours(work: Path, env: dict[str, str]) -> tuple[Path, Path, dict[str, float]]:
    project = copy_project(work / "ours")
    env = {**env, "RASA_CACHE_DIRECTORY": str(work / "ours-cache")}
    build_wall, build_cpu = timed(
        [sys.executable, "-m", "spacy_pipeline.build"], project, env, work / "ours-pipeline.log"
    )
    train_wall, train_cpu = timed(
        [str(RASA), "train", "--out", str(project / "models"), "--fixed-model-name", "ours"],
        project,
        env,
        work / "ours-train.log",
    )
    times = {
        "pipeline_build": round(build_wall, 1),
        "rasa_train": round(train_wall, 1),
        "total": round(build_wall + train_wall, 1),
        "cpu": round(build_cpu + train_cpu, 1),
    }
    return project, project / "models" / "ours.tar.gz", times


def init_starter(work: Path, env: dict[str, str]) -> tuple[Path, Path, dict[str, float]]:
    """`rasa init --no-prompt` writes the starter project and trains it (with an empty cache)."""
    starter = work / "starter"
    starter.mkdir()
    env = {**env, "RASA_CACHE_DIRECTORY": str(work / "starter-cache")}
    wall, cpu = timed(
        [str(RASA), "init", "--no-prompt", "--init-dir", str(starter)], starter, env, work / "starter-init.log"
    )
    models = sorted((starter / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"rasa init trained no model:\n{log_tail(work / 'starter-init.log')}")
    return (
        starter,
        models[-1],
        {"rasa_init_with_training": round(wall, 1), "total": round(wall, 1), "cpu": round(cpu, 1)},
    )


# --- load ------------------------------------------------------------------------------------------


@dataclass
class Turn:
    seconds: float
    ok: bool
    writes: bool = False  # a turn that writes to the clinic database (hold, booking, handoff)
    text: str = ""  # what the bench visitor sent (the bench's own scripted messages)


@dataclass
class Visitor:
    session: Any
    url: str
    sender: str
    turns: list[Turn] = field(default_factory=list)
    last: list[dict] = field(default_factory=list)

    async def say(self, text: str, writes: bool = False) -> list[dict]:
        import aiohttp

        started = time.perf_counter()
        ok = True
        try:
            async with self.session.post(self.url, json={"sender": self.sender, "message": text}) as response:
                body = await response.json(content_type=None)
                ok = response.status == 200 and isinstance(body, list)
                self.last = body if ok else []
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            ok, self.last = False, []
        self.turns.append(Turn(time.perf_counter() - started, ok, writes, text))
        return self.last

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.last)

    def button(self, pattern: str) -> Optional[str]:
        for message in self.last:
            for b in message.get("buttons") or []:
                if re.search(pattern, b.get("title", ""), re.I) or re.search(pattern, b.get("payload", ""), re.I):
                    return b["payload"]
        return None


RESULT_MARKERS = ("Possible for you", "clinician needs to see you", "Not suitable", "next step is a consultation")


async def journey(visitor: Visitor, number: int) -> dict[str, bool]:
    """Consultation, booking and a handoff ticket, answering as the e2e journey test does. A visitor who
    meets an unexpected reply skips to the handoff, so every journey ends with a database write."""
    outcome = {"screened": False, "booked": False}
    await visitor.say("hi")
    await visitor.say("which treatment would suit me?")
    for pattern in ("acne_scars", '"face"'):
        payload = visitor.button(pattern)
        if payload is None:
            break
        await visitor.say(payload)
    else:
        await visitor.say("/affirm")  # consent to the health questions
        for _ in range(30):
            if any(marker in visitor.text for marker in RESULT_MARKERS):
                outcome["screened"] = True
                break
            reply = (
                "34"
                if re.search(r"how old", visitor.text, re.I)
                else visitor.button(r"^3 - ") or visitor.button(r"^/deny$")
            )
            if reply is None:
                break
            await visitor.say(reply)
    if outcome["screened"]:
        outcome["booked"] = await book(visitor, number)
    await visitor.say("can i talk to a real person please", writes=True)
    return outcome


async def book(visitor: Visitor, number: int) -> bool:
    choice = visitor.button(r"booking_choice.*\"microneedling\"") or visitor.button(r"booking_choice")
    if choice is None:
        return False
    await visitor.say(choice)
    for _ in range(4):  # someone else may hold the first time offered: take the next one offered
        slot = visitor.button(r"first session|slot_choice")
        if slot is None:
            return False
        await visitor.say(slot, writes=True)
        if visitor.button(r"slot_choice") and not re.search(r"name", visitor.text, re.I):
            await visitor.say(visitor.button(r"slot_choice"), writes=True)
        if re.search(r"name", visitor.text, re.I):
            break
    else:
        return False
    await visitor.say(f"Sam {SURNAMES[number % len(SURNAMES)]}")
    await visitor.say(f"+44 7911 123{number % 1000:03d}")  # a valid UK mobile number (the 07700 900 range is not)
    await visitor.say(visitor.button(r"confirm") or "yes", writes=True)
    return bool(re.search(r"\b[A-Z0-9]{8}\b", visitor.text))


async def faq(visitor: Visitor, number: int) -> dict[str, bool]:
    shift = number % len(FAQ_MESSAGES)
    for text in FAQ_MESSAGES[shift:] + FAQ_MESSAGES[:shift]:
        await visitor.say(text)
    return {}


def replay(script: list[tuple[str, bool]]) -> Callable[[Visitor, int], Awaitable[dict]]:
    async def run(visitor: Visitor, number: int) -> dict[str, bool]:
        for text, writes in script:
            await visitor.say(text, writes)
        return {}

    return run


@dataclass
class PhaseResult:
    turns: list[Turn]
    seconds: float
    outcomes: list[dict[str, bool]]
    scripts: list[list[tuple[str, bool]]]


async def run_phase(
    url: str, scripts: list[Callable[[Visitor, int], Awaitable[dict]]], concurrent: bool, label: str
) -> PhaseResult:
    import aiohttp

    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT)
    connector = aiohttp.TCPConnector(limit=len(scripts) + 2)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        visitors = [
            Visitor(session, f"{url}/webhooks/rest/webhook", f"bench-{label}-{i}-{uuid.uuid4().hex[:8]}")
            for i in range(len(scripts))
        ]
        started = time.perf_counter()
        if concurrent:
            outcomes = await asyncio.gather(*(script(v, i) for i, (script, v) in enumerate(zip(scripts, visitors))))
        else:
            outcomes = [await script(v, i) for i, (script, v) in enumerate(zip(scripts, visitors))]
        seconds = time.perf_counter() - started
    return PhaseResult(
        [t for v in visitors for t in v.turns],
        seconds,
        list(outcomes),
        [[(t.text, t.writes) for t in v.turns] for v in visitors],
    )


def percentiles(values: list[float]) -> dict[str, Optional[float]]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "mean": None}
    if len(values) == 1:
        return {"p50": values[0], "p95": values[0], "p99": values[0], "mean": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": statistics.median(values), "p95": cuts[94], "p99": cuts[98], "mean": statistics.fmean(values)}


def phase_figures(result: PhaseResult) -> dict[str, Any]:
    ok = [t.seconds for t in result.turns if t.ok]
    writes = [t.seconds for t in result.turns if t.ok and t.writes]
    return {
        "requests": len(result.turns),
        "errors": sum(1 for t in result.turns if not t.ok),
        "seconds": round(result.seconds, 1),
        "throughput_per_s": round(len(result.turns) / result.seconds, 2) if result.seconds else None,
        **{k: v for k, v in percentiles(ok).items()},
        "db_write_turns": {"requests": len(writes), **percentiles(writes)},
        "slowest": [
            [round(t.seconds * 1000), t.text[:60]] for t in sorted(result.turns, key=lambda t: -t.seconds)[:SLOWEST]
        ],
    }


# --- profiling -------------------------------------------------------------------------------------


class Profiler:
    """py-spy record of given processes while a block runs (--profile)."""

    def __init__(self, out: Path, enabled: bool):
        self.out, self.enabled, self.recorders = out, enabled, []

    def start(self, label: str, server: Server) -> None:
        if not self.enabled:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        for role, process in server.processes.items():
            target = self.out / f"{label}-{server.name}-{role}.speedscope.json"
            self.recorders.append(
                subprocess.Popen(
                    [
                        str(PY_SPY),
                        "record",
                        "--pid",
                        str(process.pid),
                        "--format",
                        "speedscope",
                        "--output",
                        str(target),
                        "--rate",
                        "200",
                        "--nonblocking",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )

    def stop(self) -> None:
        for recorder in self.recorders:
            recorder.send_signal(signal.SIGINT)
        for recorder in self.recorders:
            try:
                recorder.wait(30)
            except subprocess.TimeoutExpired:
                recorder.kill()
        self.recorders = []


# --- the run ---------------------------------------------------------------------------------------


def count_rows(database: Path) -> dict[str, int]:
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{database}", future=True)
    try:
        with engine.connect() as connection:
            return {
                table: connection.execute(sa.text(f"select count(*) from {table}")).scalar_one()
                for table in ("appointments", "handoff_tickets", "contacts")
            }
    finally:
        engine.dispose()


def machine() -> str:
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} CPU cores ({model}), {memory_kb / 1024 / 1024:.0f} GiB RAM, Python {platform.python_version()}"


def ratio(ours: Optional[float], theirs: Optional[float]) -> Optional[float]:
    return round(ours / theirs, 2) if ours is not None and theirs else None


def ms(value: Optional[float]) -> str:
    return "–" if value is None else f"{value * 1000:.0f}"


def render(result: dict) -> str:
    servers = list(result["phases"]["faq-single"])
    compared = [s for s in servers if not s.startswith("starter")]
    lines = [
        f"# Speed and cost: benchmark against the Rasa starter bot ({result['date']})",
        "",
        f"Machine: {result['machine']}. Load average at start: {result['load_average']}. "
        f"{result['visitors']} concurrent visitors. Latency in ms per message through the REST channel.",
        "",
        "| measure | " + " | ".join(servers) + " | " + " | ".join(f"{s} ÷ starter" for s in compared) + " | target |",
        "|---|" + "---|" * (len(servers) + len(compared) + 1),
    ]

    def row(label: str, values: dict[str, Optional[float]], fmt=ms, target: Optional[float] = None) -> None:
        ratios = [ratio(values.get(s), values.get("starter")) for s in compared]
        r = ratios[0]
        verdict = "" if target is None or r is None else (f"≤ {target} ✔" if r <= target else f"≤ {target} ✘")
        lines.append(
            f"| {label} | "
            + " | ".join(fmt(values.get(s)) for s in servers)
            + " | "
            + " | ".join("–" if x is None else f"{x:.2f}" for x in ratios)
            + f" | {verdict} |"
        )

    for phase in ("faq-single", "faq-concurrent", "journey-single", "journey-concurrent"):
        kind = phase.split("-")[0]
        figures = result["phases"][phase]
        for p in ("p50", "p95", "p99"):
            row(f"{phase} {p}", {s: figures[s][p] for s in servers}, target=TARGETS[kind] if p == "p95" else None)
    writes = result["phases"]["journey-concurrent"]
    row("journey-concurrent p95, database-writing turns only", {s: writes[s]["db_write_turns"]["p95"] for s in servers})
    mb = lambda v: "–" if v is None else f"{v:.0f}"  # noqa: E731
    row(
        "peak RSS, Rasa server (MiB)", {s: result["memory_mb"][s].get("rasa") for s in servers}, mb, TARGETS["rasa_rss"]
    )
    row("peak RSS, action server (MiB)", {s: result["memory_mb"][s].get("action_server") for s in servers}, mb)
    seconds = lambda v: "–" if v is None else f"{v:.1f}"  # noqa: E731
    row("start to first answer (s)", result["first_answer_s"], seconds)
    row("train from scratch, wall (s)", {s: (result["train_s"].get(s) or {}).get("total") for s in servers}, seconds)
    row("train from scratch, CPU (s)", {s: (result["train_s"].get(s) or {}).get("cpu") for s in servers}, seconds)
    lines += [
        "",
        "Requests and errors per phase: "
        + "; ".join(
            f"{phase}: " + ", ".join(f"{s} {figs[s]['requests']} ({figs[s]['errors']} failed)" for s in servers)
            for phase, figs in result["phases"].items()
        ),
        "",
    ]
    lines += [
        "Slowest turns of ours, one visitor at a time (ms, message): "
        + "; ".join(
            f"{phase}: " + ", ".join(f"{ms} {text!r}" for ms, text in figs["ours"].get("slowest", []))
            for phase, figs in result["phases"].items()
            if phase.endswith("-single") and "ours" in figs
        ),
        "",
    ]
    lines += [
        f"Journeys: {result['journeys']}. Clinic database afterwards: {result['clinic_rows']}.",
        "",
        f"Training (s): {json.dumps(result['train_s'])}.",
        "",
        "ours = the action server + `rasa run` with config.yml's model, the project's credentials.yml, "
        "SQLite tracker store and clinic database; starter = `rasa init --no-prompt` served stock "
        "(in-memory tracker store, no action server); starter+sql = the starter with our SQLite tracker "
        "store (a control: the tracker store's share of the difference). The starter bot gets the same "
        "messages in the same order and concurrency; its answers are its own.",
        "",
    ]
    for name, variant in (result.get("variants") or {}).items():
        lines += [f"{name} = ours with {json.dumps(variant)} (a candidate change measured side by side).", ""]
    return "\n".join(lines)


async def measure(servers: list[Server], visitors: int, profiler: Profiler) -> tuple[dict, list]:
    phases: dict[str, dict[str, Any]] = {}
    outcomes: list = []
    ours = servers[0]
    for name, server in [(s.name, s) for s in servers]:  # warm-up, not measured
        await run_phase(server.url, [replay([(t, False) for t in WARMUP_MESSAGES])] * 2, False, f"{name}-warm")
    plan = (
        ("faq-single", [faq] * 3, False),
        ("faq-concurrent", [faq] * visitors, True),
        ("journey-single", [journey] * 2, False),
        ("journey-concurrent", [journey] * visitors, True),
    )
    for phase, scripts, concurrent in plan:
        phases[phase] = {}
        if concurrent:
            profiler.start(phase, ours)
        result = await run_phase(ours.url, scripts, concurrent, f"ours-{phase}")
        profiler.stop()
        phases[phase]["ours"] = phase_figures(result)
        if phase.startswith("journey"):
            outcomes += result.outcomes
        for other in servers[1:]:
            # the starter bot gets the very messages ours was sent, same order and concurrency; a variant
            # of ours converses like ours
            others_scripts = [replay(s) for s in result.scripts] if other.replays else scripts
            measured = await run_phase(other.url, others_scripts, concurrent, f"{other.name}-{phase}")
            phases[phase][other.name] = phase_figures(measured)
        print(
            f"  {phase}: "
            + ", ".join(
                f"{s} p50 {ms(f['p50'])} p95 {ms(f['p95'])} ms ({f['errors']} errors)" for s, f in phases[phase].items()
            ),
            flush=True,
        )
    return phases, outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "bench")
    parser.add_argument("--visitors", type=int, default=20)
    parser.add_argument(
        "--model", type=Path, help="serve this model of ours instead of training one (no training time)"
    )
    parser.add_argument("--starter-dir", type=Path, help="reuse a trained `rasa init` project (no training time)")
    parser.add_argument("--no-control", action="store_true", help="skip the starter+sql control")
    parser.add_argument(
        "--profile", action="store_true", help="py-spy profiles of our servers (results/bench/profiles)"
    )
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        type=Variant.parse,
        help='ours with a candidate change, side by side: "NAME=ENV_VAR=value;tracker_store=module.Class"',
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    out = args.out.resolve()
    work = Path(tempfile.mkdtemp(prefix="clinic-bench-"))
    env = base_environment()
    servers: list[Server] = []
    result: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "machine": machine(),
        "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "visitors": args.visitors,
        "train_s": {},
        "first_answer_s": {},
        "memory_mb": {},
        "variants": {v.name: {"env": v.env, "tracker_store": v.tracker_store} for v in args.variant},
    }
    try:
        print(f"make bench: working in {work}", flush=True)
        if args.model:
            project, model = copy_project(work / "ours"), args.model.resolve()
            subprocess.run(
                [sys.executable, "-m", "spacy_pipeline.build"],
                cwd=project,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
            result["train_s"]["ours"] = None
        else:
            print("  training ours from scratch ...", flush=True)
            project, model, result["train_s"]["ours"] = train_ours(work, env)
        if args.starter_dir:
            starter = args.starter_dir.resolve()
            starter_model = sorted((starter / "models").glob("*.tar.gz"))[-1]
            result["train_s"]["starter"] = None
        else:
            print("  rasa init --no-prompt (trains the starter bot) ...", flush=True)
            starter, starter_model, result["train_s"]["starter"] = init_starter(work, env)
        print(f"  training (s): {result['train_s']}", flush=True)

        # Each starts alone, so that start-up time is not shared with another server's.
        plan = [("ours", lambda w: start_ours(project, model, w))]
        plan += [(v.name, lambda w, v=v: start_ours(project, model, w, v)) for v in args.variant]
        plan += [
            ("starter", lambda w: start_starter(starter, starter_model, w, "starter", sql=False)),
            ("starter+sql", lambda w: start_starter(starter, starter_model, w, "starter+sql", sql=True)),
        ]
        for name, start in plan:
            if name == "starter+sql" and args.no_control:
                continue
            server_dir = work / f"run-{name.replace('+', '-')}"
            server_dir.mkdir()
            servers.append(start(server_dir))
            result["first_answer_s"][name] = round(servers[-1].first_answer_seconds or 0, 2)
            print(f"  {name}: first answer after {result['first_answer_s'][name]:.1f}s", flush=True)

        profiler = Profiler(out / "profiles", args.profile)
        result["phases"], outcomes = asyncio.run(measure(servers, args.visitors, profiler))
        result["journeys"] = {
            "visitors": len(outcomes),
            "screened": sum(o.get("screened", False) for o in outcomes),
            "booked": sum(o.get("booked", False) for o in outcomes),
        }
        result["memory_mb"] = {s.name: s.peak_rss_mb() for s in servers}
        result["clinic_rows"] = count_rows(work / "run-ours" / "clinic.db")
    finally:
        for server in servers:
            server.stop()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"  kept {work}")

    out.mkdir(parents=True, exist_ok=True)
    report = render(result)
    (out / "report.md").write_text(report, encoding="utf-8")
    (out / f"bench-{dt.datetime.now().strftime('%Y%m%d-%H%M')}.md").write_text(report, encoding="utf-8")
    (out / "bench.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    print()
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
