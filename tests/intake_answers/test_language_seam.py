"""The parsing code holds no English words: they come through one seam, ``actions.lang``, with one folder
per language (``actions/lang/en``). A second language is a folder, not a rewrite."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARSING = ROOT / "actions" / "intake_answers"
ENGLISH = ROOT / "actions" / "lang" / "en"

# Words any English phrase pattern of the parser would hold; none may appear in a pattern of the parsing code.
ENGLISH_MARKERS = ("never", "years", "tomorrow", "january", "monday", "yes", "stopped", "not", "ago", "please", "what")
# Module-level collections of identifiers, not words a visitor types: the field names a handler answers,
# the NLU's intent and entity names, the intake fields collected as lists, roman numerals of skin types.
IDENTIFIER_COLLECTIONS = {
    ("answering.py", "_HANDLERS"),
    ("answers.py", "_COLLECTED_FIELDS"),
    ("facts.py", "STATEMENT_INTENTS"),
    ("facts.py", "HEALTH_LABELS"),
    ("numbers.py", "_ROMAN"),
}
_WORD = re.compile(r"[A-Za-z]+(?:[ '-][A-Za-z]+)*\.?")
_LOOKS_LIKE_A_PATTERN = re.compile(r"\\b|\\s|\(\?:|\|")
_COLLECTIONS = (ast.Set, ast.Dict, ast.Tuple, ast.List)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def _is_collection(node: ast.expr) -> bool:
    if isinstance(node, ast.BinOp):  # frozenset({...}) | set(...)
        return _is_collection(node.left) or _is_collection(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id in ("set", "frozenset", "dict", "tuple", "list")
    return isinstance(node, _COLLECTIONS + (ast.DictComp, ast.SetComp))


def english_in(path: Path) -> list[str]:
    """What in a module of the parsing code is English: a module-level collection of three or more
    different word literals, or a regular-expression literal anywhere holding one of ENGLISH_MARKERS."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = []
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if (
            not isinstance(target, ast.Name)
            or target.id.startswith("__")
            or (path.name, target.id) in IDENTIFIER_COLLECTIONS
        ):
            continue  # ``A, B = "a", "b"`` names single constants, ``__all__`` names, neither a list of words
        words = {
            node.value
            for node in ast.walk(value)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _WORD.fullmatch(node.value)
        }
        if _is_collection(value) and len(words) >= 3:
            offences.append(f"{path.name}:{statement.lineno} {target.id}: words {sorted(words)[:3]}...")
    docstrings = _docstrings(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in docstrings:
            continue
        if not _LOOKS_LIKE_A_PATTERN.search(node.value):
            continue
        found = [word for word in ENGLISH_MARKERS if re.search(rf"(?<![a-z]){word}(?![a-z])", node.value.lower())]
        if found:
            offences.append(f"{path.name}:{node.lineno} pattern with {found}: {node.value[:60]!r}")
    return offences


def test_the_parsing_code_holds_no_english_word_lists_or_phrase_patterns():
    modules = sorted(PARSING.glob("*.py"))
    assert len(modules) > 10
    assert [offence for path in modules for offence in english_in(path)] == []


def test_the_check_finds_english_words(tmp_path):
    """The check above can fail: a word table and an English pattern are reported, identifiers are not."""
    module = tmp_path / "numbers.py"
    module.write_text(
        "import re\n"
        "_UNITS = {'one': 1, 'two': 2, 'three': 3}\n"
        "_CUES = frozenset({'turning', 'nearly'}) | {'almost'}\n"
        "A, B, C = 'first', 'second', 'third'\n"
        "_ROMAN = {'i': 1, 'ii': 2, 'iii': 3}\n"
        "def f(text):\n"
        "    return re.search(r'\\b(?:a\\s+week\\s+ago)\\b', text)\n"
    )
    offences = english_in(module)
    assert [offence.split()[0] for offence in offences] == ["numbers.py:2", "numbers.py:3", "numbers.py:7"]


def test_the_english_folder_holds_the_words():
    from actions.lang import languages, lexicon

    assert "en" in languages()
    assert lexicon.__name__ == "actions.lang.en"
    assert lexicon.dates.WEEKDAY_SPELLINGS[0].split()[0] == "monday"
    # the check above recognises the words where they live now
    assert english_in(ENGLISH / "negation.py") and english_in(ENGLISH / "dates.py")


def _python(code: str, language: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLINIC_LANGUAGE": language}
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_an_unknown_language_is_a_clear_error():
    result = _python("import actions.intake_answers", "xx")
    assert result.returncode != 0
    assert "UnknownLanguage" in result.stderr
    assert "CLINIC_LANGUAGE='xx'" in result.stderr and "actions/lang/en" in result.stderr


def test_a_language_is_a_folder(tmp_path):
    """A copy of en/ under another code, with one age cue of its own, is all the parser needs."""
    shutil.copytree(ENGLISH, tmp_path / "xx", ignore=shutil.ignore_patterns("__pycache__"))
    with (tmp_path / "xx" / "numbers.py").open("a", encoding="utf-8") as numbers:
        numbers.write('AGE_CUES = AGE_CUES + r"|ich\\s+bin"\n')
    code = (
        "import sys\n"
        "import actions.lang\n"
        "actions.lang.__path__.append(sys.argv[1])\n"
        "from actions.intake_answers import parse_age\n"
        "from actions.lang import lexicon\n"
        "print(lexicon.__name__, 'actions.lang.en' in sys.modules, parse_age(\"I'm 34\"), parse_age('ich bin 34'))\n"
    )
    result = _python(code, "xx", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["actions.lang.xx", "False", "34", "34"]
    english = _python(code, "en", str(tmp_path))
    assert english.stdout.split() == ["actions.lang.en", "True", "34", "None"]
