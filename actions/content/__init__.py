"""Clinic-editable content: the YAML files in this folder and the code that reads them.

Every loader raises :class:`ContentError` with the file and the key that is wrong, so that an
operator who mistypes a file gets told where to look instead of a stack trace.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONTENT_DIR = Path(__file__).resolve().parent


class ContentError(ValueError):
    """A clinic content file is missing, unreadable or has a wrong value."""

    def __init__(self, path: Path | str, key: str, problem: str) -> None:
        self.path = str(path)
        self.key = key
        self.problem = problem
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {problem}")


def read_yaml(path: Path | str) -> Any:
    """Read one YAML file, turning I/O and syntax errors into ContentError."""
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ContentError(path, "", "file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        raise ContentError(path, "", f"not valid YAML{line}: {exc}") from None


def require_mapping(value: Any, path: Path | str, key: str) -> dict:
    if not isinstance(value, dict):
        raise ContentError(path, key, f"must be a mapping, got {type(value).__name__}")
    return value


def require_str(value: Any, path: Path | str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(path, key, "must be a non-empty text")
    return value
