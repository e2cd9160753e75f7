"""The Rasa server's one switch: ``rasa_server.install()`` turns every speed-up on for Rasa 3.6.21 and
for no other release, ``python -m rasa_server`` is Rasa's command line with the switch on, and every
entry point of the project that serves or tests the assistant goes through it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import rasa

import rasa_server

ROOT = Path(__file__).resolve().parents[2]

# What the speed-ups replace: every attribute of these is fingerprinted before and after the switch.
SNAPSHOT = """
import json, sys
import rasa.core.run
from rasa.core.actions.action import ActionExtractSlots, RemoteAction
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.rule_policy import RulePolicy
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

TOUCHED = [rasa.core.run, ActionExtractSlots, RemoteAction, DefaultPolicyPredictionEnsemble,
           MemoizationPolicy, RulePolicy, TEDPolicy, Event, DialogueStateTracker]

def snapshot():
    return {getattr(o, "__name__", str(o)): {k: id(v) for k, v in vars(o).items()} for o in TOUCHED}
"""


def run_python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


def test_the_switch_changes_every_replaced_part_of_rasa_on_its_own_release():
    out = run_python(
        SNAPSHOT
        + """
import rasa_server
before = snapshot()
assert rasa_server.install() is True
after = snapshot()
print(json.dumps(sorted(name for name in before if before[name] != after[name])))
"""
    )
    assert out == (
        '["ActionExtractSlots", "DefaultPolicyPredictionEnsemble", "DialogueStateTracker", "Event", '
        '"MemoizationPolicy", "RemoteAction", "RulePolicy", "TEDPolicy", "rasa.core.run"]'
    )


def test_the_switch_leaves_any_other_rasa_release_untouched():
    out = run_python(
        SNAPSHOT
        + """
import rasa_server
before = snapshot()
assert rasa_server.install(rasa_version="3.6.20") is False
assert rasa_server.install(rasa_version="3.7.0") is False
print(before == snapshot())
"""
    )
    assert out == "True"


def test_the_project_is_pinned_to_the_release_the_switch_accepts():
    assert rasa.__version__ == rasa_server.RASA_VERSION
    constraints = (ROOT / "requirements" / "constraints.txt").read_text()
    assert f"rasa=={rasa_server.RASA_VERSION}" in constraints


def test_python_m_rasa_server_is_rasas_command_line_with_the_switch_on():
    out = run_python(
        """
import rasa.__main__
from rasa.core.actions.action import RemoteAction
from rasa_server.speedups import action_call_payload
seen = []
rasa.__main__.main = lambda: seen.append(RemoteAction._action_call_format is action_call_payload.action_call_format)
from rasa_server.__main__ import main
main()
print(seen)
"""
    )
    assert out == "[True]"
    version = subprocess.run(
        [sys.executable, "-m", "rasa_server", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert version.returncode == 0 and f"Rasa Version      :         {rasa.__version__}" in version.stdout


# A command that starts or tests the Rasa server (not the action server, nor training or validation):
# the program ("rasa", "rasa_server", a shell or make variable RASA), then run, shell or test.
SERVER_COMMAND = re.compile(
    r"(?P<program>\brasa_server\b|\brasa\b|\$\{?\(?RASA\b(?:\[@\]\})?\)?)[\"',\s]*(run|shell|test)\b(?![\"',\s]*actions)"
)


def server_commands(path: Path) -> list[str]:
    """The programs that start the Rasa server in ``path`` (a command may span lines)."""
    return [match["program"] for match in SERVER_COMMAND.finditer(path.read_text())]


def test_every_entry_point_runs_the_rasa_server_through_the_switch():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^RASA\s*:=\s*\$\(PY\) -m rasa_server$", makefile, re.M)
    assert re.search(r"^RASA=\(\.venv/bin/python -m rasa_server\)$", (ROOT / "scripts" / "run.sh").read_text(), re.M)
    entry_points = [
        ROOT / "Makefile",
        ROOT / "scripts" / "run.sh",
        ROOT / "scripts" / "prod-up.sh",
        ROOT / "deploy" / "docker" / "Dockerfile",
        ROOT / "tests" / "channels" / "assistant_server.py",
    ]
    commands = {str(path.relative_to(ROOT)): server_commands(path) for path in entry_points}
    assert all(commands.values()), f"each entry point starts the Rasa server somewhere: {commands}"
    assert {name: [c for c in found if c == "rasa"] for name, found in commands.items()} == {
        name: [] for name in commands
    }
    for tool in ("bench.py", "evaluate.py"):
        source = (ROOT / "evaluation" / tool).read_text()
        assert 'OUR_RASA = [sys.executable, "-m", "rasa_server"]' in source
    assert "rasa_server.install()" in (ROOT / "evaluation" / "profile_pipeline.py").read_text()


def test_the_entry_point_check_tells_a_bypass_from_the_switch():
    programs = lambda text: [m["program"] for m in SERVER_COMMAND.finditer(text)]  # noqa: E731
    assert programs("exec rasa run --model models --endpoints x") == ["rasa"]
    assert programs('"$ROOT/.venv/bin/rasa" run --model "$model"') == ["rasa"]
    assert programs('[\n str(PYTHON),\n "-m",\n "rasa_server",\n "run",\n "--model"]') == ["rasa_server"]
    assert programs("\t$(RASA) test core --e2e") == ["$(RASA)"]
    assert programs('"${RASA[@]}" shell --model') == ["${RASA[@]}"]
    assert programs('"$ROOT/.venv/bin/rasa" run actions --actions actions.conversation') == []
