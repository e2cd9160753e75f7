"""The words of the clinic's language, one folder per language (as spaCy's ``spacy/lang/en/``).

The parsing code (``actions.intake_answers``) holds no words of its own: its word lists, word-to-number
tables and phrase patterns (regular-expression source text) live in ``actions/lang/<code>/``, one module
per consumer (``negation``, ``numbers``, ``dates``, ``text``, ``replies``, ``contact``, ``preferences``,
``facts``, ``answering``, ``summary``). A second language is a copy of ``en/`` with the same names.

    from actions.lang import lexicon          # the configured language's package
    lexicon.negation.NEGATION_WORDS           # what "no", "never", "don't" are in that language

The language code comes from the environment variable ``CLINIC_LANGUAGE`` (default ``en``), read once,
the first time ``lexicon`` is imported; an unknown code raises ``UnknownLanguage`` naming the variable
and the folders that exist. The language is looked up on this package's ``__path__``, so a folder added
to it before the first import (a test does this) counts as a language too.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from types import ModuleType
from typing import TYPE_CHECKING

LANGUAGE_VARIABLE = "CLINIC_LANGUAGE"
DEFAULT_LANGUAGE = "en"


class UnknownLanguage(LookupError):
    """``CLINIC_LANGUAGE`` names a language that has no folder under ``actions/lang``."""


def languages() -> list[str]:
    """The language codes there are: the sub-packages of ``actions.lang``."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if info.ispkg)


def _load() -> ModuleType:
    code = os.environ.get(LANGUAGE_VARIABLE, "").strip() or DEFAULT_LANGUAGE
    if code not in languages():
        folders = ", ".join(f"actions/lang/{name}" for name in languages()) or "none"
        raise UnknownLanguage(
            f"{LANGUAGE_VARIABLE}={code!r}: there is no folder actions/lang/{code}; the languages there are: {folders}"
        )
    return importlib.import_module(f"{__name__}.{code}")


if TYPE_CHECKING:
    # Type checkers read every language as English: each language folder has the same names as en/.
    from actions.lang import en as lexicon
else:

    def __getattr__(name: str) -> ModuleType:
        if name == "lexicon":
            module = _load()
            globals()["lexicon"] = module
            return module
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_LANGUAGE", "LANGUAGE_VARIABLE", "UnknownLanguage", "languages", "lexicon"]
