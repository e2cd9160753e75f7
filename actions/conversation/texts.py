"""The journey's visitor-facing texts (actions/content/journey.yml), rendered with the clinic's details.

    say("consent", "ask")                      -> the text, placeholders filled
    say("booking", "held", slot="Tue 3 March")  -> extra placeholders given by the caller

journey.yml is clinic-editable and re-read when it changes. It is checked whole when it is read
(actions/content/journey.py), with every key this package says (``required_keys``): a key an edit
removed stops the action server from starting, or, while it runs, leaves the last good file in use,
instead of failing when a visitor reaches it.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import Any

from actions.content import ContentError
from actions.content.journey import JOURNEY_FILE, Journey, load_journey
from actions.content.watched import Watched
from actions.conversation.content import knowledge

PACKAGE_DIR = Path(__file__).resolve().parent
# The functions that say a text: say(section, key) and raw(section, key) here, and each module's
# text(key), which says a key of that module's TEXTS section.
SECTION_AND_KEY = ("say", "raw")
KEY_OF_MODULE_SECTION = "text"


def _strings(node: ast.expr, constants: dict[str, str]) -> list[str]:
    """The literal texts an argument can be: "held", CONSTANT, "a" if ... else "b"."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Name) and node.id in constants:
        return [constants[node.id]]
    if isinstance(node, ast.IfExp):
        return _strings(node.body, constants) + _strings(node.orelse, constants)
    return []


def _module_facts(tree: ast.Module) -> tuple[dict[str, str], str | None]:
    """The module's string constants and where its ``text`` function comes from (a module name)."""
    constants = {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    text_from = None
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and any(alias.name == KEY_OF_MODULE_SECTION for alias in node.names):
            text_from = node.module
    return constants, text_from


@functools.lru_cache(maxsize=1)
def required_keys() -> frozenset[tuple[str, str]]:
    """Every (section, key) this package says with literal names, found in its source. Keys built at run
    time (an error code's text) have a fallback text where they are said (base.error_text)."""
    trees = {path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE_DIR.glob("*.py"))}
    facts = {name: _module_facts(tree) for name, tree in trees.items()}
    found: set[tuple[str, str]] = set()
    for name, tree in trees.items():
        constants, text_from = facts[name]
        section = constants.get("TEXTS")
        if section is None and text_from:
            section = facts.get(text_from.rsplit(".", 1)[-1], ({}, None))[0].get("TEXTS")
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in SECTION_AND_KEY and len(node.args) >= 2:
                found.update(
                    (s, k) for s in _strings(node.args[0], constants) for k in _strings(node.args[1], constants)
                )
            elif node.func.id == KEY_OF_MODULE_SECTION and node.args and section:
                found.update((section, k) for k in _strings(node.args[0], constants))
    return frozenset(found)


JOURNEY: Watched[Journey] = Watched(lambda: load_journey(JOURNEY_FILE, required_keys()), lambda: (JOURNEY_FILE,))


def journey_texts() -> Journey:
    return JOURNEY.get()


def raw(section: str, key: str) -> Any:
    """The unrendered entry (a text or a list) at section.key."""
    try:
        return journey_texts()[section][key]
    except (KeyError, TypeError):
        raise KeyError(f"journey.yml has no {section}.{key}") from None


def say(section: str, key: str, **extra: Any) -> str:
    text = raw(section, key)
    if not isinstance(text, str):
        raise ContentError(JOURNEY_FILE, f"{section}.{key}", "must be a text")
    return knowledge().render(text, **extra)
