"""The house rules of the code: the clinic core has no Rasa in it, no module imports itself back through
others, the two servers share only contract/, and every action of the conversation says whether it
speaks while a person has the chat."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import pytest
from rasa_sdk import Action
from rasa_sdk.forms import ValidationAction

import actions.conversation
from actions.conversation.base import ConversationAction

ROOT = Path(__file__).resolve().parents[1]
ACTIONS = ROOT / "actions"
# Pure Python driven by the clinic's content files: usable from a script, a worker or another server.
CLINIC_CORE = ("booking", "content", "intake_answers", "knowledge", "lang", "screening")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The project modules ``path`` imports, anywhere in the file (a function-level import still ties
    the two modules together)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in ACTIONS.rglob("*.py") if "migrations" not in p.parts}
    known = set(files)
    return {name: imported_modules(path, known) - {name} for name, path in files.items()}


def test_the_clinic_core_never_imports_rasa():
    offenders = []
    for package in CLINIC_CORE:
        for path in (ACTIONS / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else []
                )
                offenders += [
                    f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("rasa", "rasa_sdk")
                ]
    assert offenders == []


def top_level_imports(package: Path) -> dict[str, set[str]]:
    """Each file of ``package`` and the top-level names it imports."""
    found: dict[str, set[str]] = {}
    for path in package.rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_the_rasa_server_imports_nothing_of_the_action_server():
    offenders = {
        path: names & {"actions", "rasa_sdk"} for path, names in top_level_imports(ROOT / "rasa_server").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_shared_contract_imports_neither_server_nor_any_other_project_package():
    project = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    offenders = {
        path: names & (project | {"rasa", "rasa_sdk"}) - {"contract"}
        for path, names in top_level_imports(ROOT / "contract").items()
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_no_module_of_the_action_server_imports_itself_back():
    graph = import_graph()
    cycles = []

    def visit(name: str, path: list[str], done: set[str]) -> None:
        if name in path:
            cycle = path[path.index(name) :] + [name]
            # A package importing its own modules (``__init__`` re-exports) is not a cycle.
            if not all(
                step.startswith(cycle[0] + ".") or cycle[0].startswith(step + ".") or step == cycle[0] for step in cycle
            ):
                cycles.append(" -> ".join(cycle))
            return
        if name in done:
            return
        for imported in sorted(graph.get(name, ())):
            visit(imported, path + [name], done)
        done.add(name)

    done: set[str] = set()
    for name in sorted(graph):
        visit(name, [], done)
    assert cycles == []


def test_the_cycle_check_finds_a_cycle(tmp_path, monkeypatch):
    """The check above can fail: two modules importing each other are reported."""
    package = tmp_path / "actions"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "one.py").write_text("from actions.two import b\n")
    (package / "two.py").write_text("def b():\n    from actions.one import a\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "ACTIONS", package)
    with pytest.raises(AssertionError, match="actions.one -> actions.two -> actions.one"):
        test_no_module_of_the_action_server_imports_itself_back()


def action_classes() -> list[type]:
    found = []
    for info in pkgutil.iter_modules(actions.conversation.__path__, "actions.conversation."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, Action) and not inspect.isabstract(cls):
                found.append(cls)
    return found


def test_every_action_says_whether_it_speaks_during_a_handoff():
    classes = action_classes()
    assert len(classes) > 30
    unclear = []
    for cls in classes:
        if issubclass(cls, ValidationAction):
            continue  # slot validation: Rasa runs it inside the turn, it never speaks on its own
        if not issubclass(cls, ConversationAction) or not isinstance(getattr(cls, "speaks_during_handoff", None), bool):
            unclear.append(cls.__name__)
    assert unclear == []


def test_safety_privacy_and_the_handoff_itself_always_speak():
    speaking = {
        cls().name() for cls in action_classes() if issubclass(cls, ConversationAction) and cls.speaks_during_handoff
    }
    assert {"action_triage", "action_request_human", "action_forget_me", "action_data_stored"} <= speaking
    assert "action_answer_question" not in speaking and "action_ask_booking_slot" not in speaking
